package report

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"time"

	"github.com/carriersim/carriersim/dispatch"
)

// tripFeature is a kepler.gl trip: a LineString whose positions are [lon, lat, altitude, unix seconds].
// The fourth number puts it outside RFC 7946's recommendation, which is why trips are a separate file.
type tripFeature struct {
	Type       string         `json:"type"`
	Geometry   tripGeometry   `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type tripGeometry struct {
	Type        string       `json:"type"`
	Coordinates [][4]float64 `json:"coordinates"`
}

// WriteTrips streams every route of every policy as a kepler.gl trip: the station at departure, each stop at
// its service start and the station at return. Day 0 of the simulation is the date day0 (its midnight in
// China Standard Time, UTC+8), or for a replay its own first day (see Origin). Each trip carries its
// route_id and vehicle, as in routes.csv, and its depart_at and return_at as RFC 3339 times.
func WriteTrips(w io.Writer, c *dispatch.Comparison, day0 time.Time) error {
	return WriteTripsSampled(w, c, day0, nil)
}

// WriteTripsSampled is WriteTrips for the routes that serve at least one of the sample's orders: the
// routes of WriteGeoJSONSampled with the same sample. A nil sample writes every route.
func WriteTripsSampled(w io.Writer, c *dispatch.Comparison, day0 time.Time, s *Sample) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	origin := Origin(c, day0)
	base := origin.Unix()
	ts := func(min float64) float64 { return float64(base) + math.Round(min*60) }
	r6 := func(v float64) float64 { return math.Round(v*1e6) / 1e6 }
	if _, err := bw.WriteString(`{"type":"FeatureCollection","features":[`); err != nil {
		return err
	}
	first := true
	for _, run := range c.Runs {
		vehicle := visitsOf(c, run).vehicle
		for ri := range run.Routes {
			r := &run.Routes[ri]
			if !s.Route(c, r) {
				continue
			}
			nw := c.World.Carriers[r.Carrier]
			path, times := r.Path(c.World, c.Orders), r.Times()
			coords := make([][4]float64, len(path))
			for k, p := range path {
				coords[k] = [4]float64{r6(p[0]), r6(p[1]), 0, ts(float64(times[k]))}
			}
			f := tripFeature{Type: "Feature", Geometry: tripGeometry{Type: "LineString", Coordinates: coords},
				Properties: map[string]any{"layer": LayerRoute, "policy": run.Policy.Name, "carrier": nw.Carrier.ID,
					"station": nw.Stations[r.Station].ID, "fleet": nw.Carrier.Fleets[r.Fleet].Name, "stops": len(r.Stops),
					"route_id": RouteID(run.Policy.Name, ri), "vehicle": vehicle[ri],
					"depart_at": Timestamp(origin, r.Depart), "return_at": Timestamp(origin, r.Return)}}
			b, err := json.Marshal(f)
			if err != nil {
				return err
			}
			if !first {
				bw.WriteByte(',')
			}
			first = false
			bw.WriteByte('\n')
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
	}
	if _, err := bw.WriteString("\n]}\n"); err != nil {
		return err
	}
	return bw.Flush()
}
