package report

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/sim"
	"github.com/carriersim/carriersim/geo"
)

// Layer names of CONTRACT.md; every feature carries one in its "layer" property.
const (
	LayerSortingCenter = "sorting_center"
	LayerStation       = "station"
	LayerServiceArea   = "service_area"
	LayerOrder         = "order"
	LayerRoute         = "route"
)

// WriteGeoJSON streams the comparison as one RFC 7946 FeatureCollection: the carriers' sorting centres and
// stations, then for each policy every station's service area (the convex hull of the doors it served),
// every order at its door and every route as a line from the station through its stops and back.
func WriteGeoJSON(w io.Writer, c *dispatch.Comparison) error {
	return WriteGeoJSONSampled(w, c, nil)
}

// WriteGeoJSONSampled is WriteGeoJSON drawing only the sample's orders (the same in every policy) and the
// routes that serve at least one of them, each route whole, through all its stops. Sorting centres,
// stations and service areas are complete: the service areas are computed from every order. A nil sample
// draws everything, as WriteGeoJSON does. Features are written one at a time, never held together.
func WriteGeoJSONSampled(w io.Writer, c *dispatch.Comparison, s *Sample) error {
	return WriteGeoJSONOptions(w, c, GeoJSONOptions{Sample: s})
}

// GeoJSONOptions say what WriteGeoJSONOptions draws and how it dates it.
type GeoJSONOptions struct {
	// Sample, when not nil, draws only its orders and the routes serving them (see WriteGeoJSONSampled).
	Sample *Sample
	// Day0 is the calendar date of the simulated day, for the features' ISO 8601 times (see Origin); zero
	// means 2025-03-18, the CLI's default --date. A replay's times follow its own dates instead.
	Day0 time.Time
}

// WriteGeoJSONOptions is WriteGeoJSONSampled with the simulated day's date: besides their minutes, order
// features carry created_at, promise_at and delivered_at, route features wave_start_at, depart_at and
// return_at, as RFC 3339 times in China Standard Time. Order features name the routes that visited them
// (route_id, and install_route_id for a split install's crew), route features their own route_id and
// vehicle: the ids of routes.csv and orders.csv.
func WriteGeoJSONOptions(w io.Writer, c *dispatch.Comparison, opt GeoJSONOptions) error {
	s := opt.Sample
	origin := Origin(c, opt.Day0)
	fw := geo.NewFeatureWriter(w)
	sc := c.World.Scenario
	for _, nw := range c.World.Carriers {
		for i, p := range nw.SortingCenters {
			f := geojson.NewFeature(p)
			f.Properties = geojson.Properties{"layer": LayerSortingCenter, "carrier": nw.Carrier.ID,
				"id": fmt.Sprintf("%s-sc%d", nw.Carrier.ID, i+1)}
			if err := fw.Write(f); err != nil {
				return err
			}
		}
		for _, st := range nw.Stations {
			f := geojson.NewFeature(st.Point)
			vehicles := map[string]int{}
			for fi, n := range st.Vehicles {
				vehicles[nw.Carrier.Fleets[fi].Name] = n
			}
			f.Properties = geojson.Properties{"layer": LayerStation, "carrier": nw.Carrier.ID, "id": st.ID,
				"planned_orders": math.Round(st.PlannedOrders), "vehicles_per_wave": vehicles,
				"sorting_center": fmt.Sprintf("%s-sc%d", nw.Carrier.ID, st.Sorting+1)}
			if err := fw.Write(f); err != nil {
				return err
			}
		}
	}
	for _, run := range c.Runs {
		pol := run.Policy.Name
		vis := visitsOf(c, run)
		// Service areas: doors served per station.
		for ci, nw := range c.World.Carriers {
			doors := make([][]orb.Point, len(nw.Stations))
			for i := range run.Outcomes {
				out := &run.Outcomes[i]
				if out.State == sim.Delivered && int(out.Carrier) == ci && !c.Orders[i].Warmup {
					doors[out.Station] = append(doors[out.Station], c.Orders[i].Dest)
				}
			}
			for si, pts := range doors {
				hull := geo.ConvexHull(pts)
				if len(hull) == 0 {
					continue
				}
				f := geojson.NewFeature(hull)
				f.Properties = geojson.Properties{"layer": LayerServiceArea, "policy": pol, "carrier": nw.Carrier.ID,
					"station": nw.Stations[si].ID, "orders": len(pts)}
				if err := fw.Write(f); err != nil {
					return err
				}
			}
		}
		for i := range c.Orders {
			o, out := &c.Orders[i], &run.Outcomes[i]
			if o.Warmup || !s.Order(int32(i)) {
				continue
			}
			f := geojson.NewFeature(o.Dest)
			props := geojson.Properties{"layer": LayerOrder, "policy": pol, "id": i,
				"platform": sc.Platforms[o.Platform].ID, "merchant": o.Merchant(), "category": o.Category.String(),
				"created_min": math.Round(float64(o.Created)*10) / 10, "promise_min": o.Promise,
				"created_at": Timestamp(origin, o.Created), "promise_at": Timestamp(origin, o.Promise)}
			if ri := vis.main[i]; ri >= 0 {
				props["route_id"] = RouteID(pol, int(ri))
			}
			if ri := vis.install[i]; ri >= 0 {
				props["install_route_id"] = RouteID(pol, int(ri))
			}
			if out.State == sim.Delivered {
				nw := c.World.Carriers[out.Carrier]
				props["carrier"] = nw.Carrier.ID
				props["station"] = nw.Stations[out.Station].ID
				props["state"] = "delivered"
				props["latency_min"] = math.Round(float64(out.Done-o.Created)*10) / 10
				props["late"] = out.Late(o)
				props["delivered_at"] = Timestamp(origin, out.Done)
				props["cost_cny"] = math.Round((out.Linehaul+out.Sorting+out.LastMile+out.Install)*100) / 100
			} else {
				props["carrier"] = "none"
				props["state"] = "unserved"
				props["reason"] = out.Reason
			}
			f.Properties = props
			if err := fw.Write(f); err != nil {
				return err
			}
		}
		for ri := range run.Routes {
			r := &run.Routes[ri]
			if !s.Route(c, r) {
				continue
			}
			nw := c.World.Carriers[r.Carrier]
			st := &nw.Stations[r.Station]
			f := geojson.NewFeature(r.Path(c.World, c.Orders))
			f.Properties = geojson.Properties{"layer": LayerRoute, "policy": pol, "carrier": nw.Carrier.ID,
				"station": st.ID, "fleet": nw.Carrier.Fleets[r.Fleet].Name, "wave_start_min": r.WaveStart,
				"depart_min": math.Round(float64(r.Depart)*10) / 10, "return_min": math.Round(float64(r.Return)*10) / 10,
				"stops": len(r.Stops), "km": math.Round(r.Km*1000) / 1000, "cost_cny": math.Round(r.CostCNY*100) / 100,
				"route_id": RouteID(pol, ri), "vehicle": vis.vehicle[ri], "wave_start_at": Timestamp(origin, r.WaveStart),
				"depart_at": Timestamp(origin, r.Depart), "return_at": Timestamp(origin, r.Return)}
			if err := fw.Write(f); err != nil {
				return err
			}
		}
	}
	return fw.Close()
}
