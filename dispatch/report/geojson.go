package report

import (
	"fmt"
	"io"
	"math"
	"time"

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
	if err := writeNetwork(fw, c); err != nil {
		return err
	}
	for _, run := range c.Runs {
		pol := run.Policy.Name
		vis := visitsOf(c, run)
		// Service areas: doors served per station, added in the order the orders finished, as a run that
		// streams its map adds them (Stream).
		areas := newServiceAreas(c)
		for _, id := range run.Finished {
			areas.add(&c.Orders[id], &run.Outcomes[id])
		}
		if err := areas.write(fw, c, pol); err != nil {
			return err
		}
		if err := writeOrderFeatures(fw, c, pol, s, origin, kept{run, vis}); err != nil {
			return err
		}
		for ri := range run.Routes {
			r := &run.Routes[ri]
			if !s.Route(c, r) {
				continue
			}
			if err := fw.Write(routeFeature(c, pol, ri, vis.vehicle[ri], r, origin)); err != nil {
				return err
			}
		}
	}
	return fw.Close()
}

// writeNetwork writes the carriers' sorting centres and stations, the map's first features.
func writeNetwork(fw *geo.FeatureWriter, c *dispatch.Comparison) error {
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
	return nil
}

// serviceAreas are one policy's stations' service areas as its orders finish: the hull of the doors each
// station delivered the day's orders to (carrier x station), keeping only the points that may still be on
// it (geo.Hull).
type serviceAreas [][]geo.Hull

func newServiceAreas(c *dispatch.Comparison) serviceAreas {
	a := make(serviceAreas, len(c.World.Carriers))
	for ci, nw := range c.World.Carriers {
		a[ci] = make([]geo.Hull, len(nw.Stations))
	}
	return a
}

// add counts a final order: a day order delivered by a station adds its door to the station's area.
func (a serviceAreas) add(o *sim.Order, out *sim.Outcome) {
	if out.State == sim.Delivered && out.Carrier >= 0 && !o.Warmup {
		a[out.Carrier][out.Station].Add(o.Dest)
	}
}

// write writes a feature for every station whose area has one, carriers and stations in the world's order.
func (a serviceAreas) write(fw *geo.FeatureWriter, c *dispatch.Comparison, pol string) error {
	for ci, nw := range c.World.Carriers {
		for si := range a[ci] {
			h := &a[ci][si]
			hull := h.Polygon()
			if len(hull) == 0 {
				continue
			}
			f := geojson.NewFeature(hull)
			f.Properties = geojson.Properties{"layer": LayerServiceArea, "policy": pol, "carrier": nw.Carrier.ID,
				"station": nw.Stations[si].ID, "orders": h.Count()}
			if err := fw.Write(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeOrderFeatures writes the features of a policy's day orders in the sample, in id order.
func writeOrderFeatures(fw *geo.FeatureWriter, c *dispatch.Comparison, pol string, s *Sample, origin time.Time, outs outcomes) error {
	for i := range c.Orders {
		o := &c.Orders[i]
		if o.Warmup || !s.Order(int32(i)) {
			continue
		}
		out, v, err := outs.outcome(int32(i))
		if err != nil {
			return fmt.Errorf("report: policy %s: %w", pol, err)
		}
		if err := fw.Write(orderFeature(c, pol, int32(i), o, &out, v.main, v.install, origin)); err != nil {
			return err
		}
	}
	return nil
}

// orderFeature is day order id's feature under policy pol: main and install are the indices of the routes
// that visited it (-1: none).
func orderFeature(c *dispatch.Comparison, pol string, id int32, o *sim.Order, out *sim.Outcome, main, install int32, origin time.Time) *geojson.Feature {
	sc := c.World.Scenario
	f := geojson.NewFeature(o.Dest)
	props := geojson.Properties{"layer": LayerOrder, "policy": pol, "id": int(id),
		"platform": sc.Platforms[o.Platform].ID, "merchant": o.Merchant(), "category": o.Category.String(),
		"created_min": math.Round(float64(o.Created)*10) / 10, "promise_min": o.Promise,
		"created_at": Timestamp(origin, o.Created), "promise_at": Timestamp(origin, o.Promise)}
	if main >= 0 {
		props["route_id"] = RouteID(pol, int(main))
	}
	if install >= 0 {
		props["install_route_id"] = RouteID(pol, int(install))
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
	return f
}

// routeFeature is route ri of policy pol, the vehicle-th of its station-wave, as a line through its stops.
func routeFeature(c *dispatch.Comparison, pol string, ri int, vehicle int32, r *sim.RouteRecord, origin time.Time) *geojson.Feature {
	nw := c.World.Carriers[r.Carrier]
	st := &nw.Stations[r.Station]
	f := geojson.NewFeature(r.Path(c.World, c.Orders))
	f.Properties = geojson.Properties{"layer": LayerRoute, "policy": pol, "carrier": nw.Carrier.ID,
		"station": st.ID, "fleet": nw.Carrier.Fleets[r.Fleet].Name, "wave_start_min": r.WaveStart,
		"depart_min": math.Round(float64(r.Depart)*10) / 10, "return_min": math.Round(float64(r.Return)*10) / 10,
		"stops": len(r.Stops), "km": math.Round(r.Km*1000) / 1000, "cost_cny": math.Round(r.CostCNY*100) / 100,
		"route_id": RouteID(pol, ri), "vehicle": vehicle, "wave_start_at": Timestamp(origin, r.WaveStart),
		"depart_at": Timestamp(origin, r.Depart), "return_at": Timestamp(origin, r.Return)}
	return f
}
