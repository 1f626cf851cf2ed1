package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/sim"
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
	tw := newTripWriter(w, c, day0)
	for _, run := range c.Runs {
		vehicle := visitsOf(c, run).vehicle
		for ri := range run.Routes {
			r := &run.Routes[ri]
			if !s.Route(c, r) {
				continue
			}
			if err := tw.write(run.Policy.Name, ri, vehicle[ri], r); err != nil {
				return err
			}
		}
	}
	return tw.close()
}

// tripsHead and tripsTail open and close a trip file; each trip follows tripSep but the first, which
// follows "\n" only.
const (
	tripsHead = `{"type":"FeatureCollection","features":[`
	tripSep   = ",\n"
	tripsTail = "\n]}\n"
)

// tripWriter writes trips one at a time: to a trip file, or (part) to a part of one, each trip after
// tripSep, joined later by copyPart.
type tripWriter struct {
	bw     *bufio.Writer
	c      *dispatch.Comparison
	origin time.Time
	part   bool
	count  int
	err    error
}

func newTripWriter(w io.Writer, c *dispatch.Comparison, day0 time.Time) *tripWriter {
	return &tripWriter{bw: bufio.NewWriterSize(w, 1<<16), c: c, origin: Origin(c, day0)}
}

// begin writes what comes before a trip: the file's head before the first, else the separator.
func (tw *tripWriter) begin() {
	switch {
	case tw.part || tw.count > 0:
		tw.bw.WriteString(tripSep)
	default:
		tw.bw.WriteString(tripsHead + "\n")
	}
}

// write writes route ri of policy pol, the vehicle-th of its station-wave, as a trip: the station at
// departure, each stop at its service start and the station at return.
func (tw *tripWriter) write(pol string, ri int, vehicle int32, r *sim.RouteRecord) error {
	if tw.err != nil {
		return tw.err
	}
	c := tw.c
	base := tw.origin.Unix()
	nw := c.World.Carriers[r.Carrier]
	path, times := r.Path(c.World, c.Orders), r.Times()
	coords := make([][4]float64, len(path))
	for k, p := range path {
		coords[k] = [4]float64{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6, 0,
			float64(base) + math.Round(float64(times[k])*60)}
	}
	f := tripFeature{Type: "Feature", Geometry: tripGeometry{Type: "LineString", Coordinates: coords},
		Properties: map[string]any{"layer": LayerRoute, "policy": pol, "carrier": nw.Carrier.ID,
			"station": nw.Stations[r.Station].ID, "fleet": nw.Carrier.Fleets[r.Fleet].Name, "stops": len(r.Stops),
			"route_id": RouteID(pol, ri), "vehicle": vehicle,
			"depart_at": Timestamp(tw.origin, r.Depart), "return_at": Timestamp(tw.origin, r.Return)}}
	b, err := json.Marshal(f)
	if err != nil {
		tw.err = err
		return err
	}
	tw.begin()
	if _, tw.err = tw.bw.Write(b); tw.err != nil {
		return tw.err
	}
	tw.count++
	return nil
}

// copyPart appends the count trips of a part written by a tripWriter with part set, read from r.
func (tw *tripWriter) copyPart(r io.Reader, count int) error {
	if tw.err != nil || count == 0 {
		return tw.err
	}
	if tw.count == 0 {
		var sep [len(tripSep)]byte
		if _, err := io.ReadFull(r, sep[:]); err != nil || string(sep[:]) != tripSep {
			tw.err = fmt.Errorf("report: trip part does not start with a trip (%q, %v)", sep, err)
			return tw.err
		}
		tw.begin()
	}
	if _, tw.err = io.Copy(tw.bw, r); tw.err != nil {
		return tw.err
	}
	tw.count += count
	return nil
}

// close ends the file (a part only flushes).
func (tw *tripWriter) close() error {
	if tw.err != nil {
		return tw.err
	}
	if !tw.part {
		if tw.count == 0 {
			tw.bw.WriteString(tripsHead)
		}
		tw.bw.WriteString(tripsTail)
	}
	tw.err = tw.bw.Flush()
	return tw.err
}
