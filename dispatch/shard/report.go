package shard

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the national report as indented JSON, as compare writes its report.
func (r *Report) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// cityFeature is one city of the national map: a point with the city's figures per policy.
type cityFeature struct {
	Type       string         `json:"type"`
	Geometry   pointGeometry  `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

type pointGeometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// WriteGeoJSON writes the national map: a FeatureCollection of the cities as points (lon, lat) with their
// code, name, day orders, and per policy the cost per order, the p90 latency in minutes and the on-time
// rate (properties "<policy>_cost_per_order" and so on).
func (r *Report) WriteGeoJSON(w io.Writer) error {
	fc := struct {
		Type     string        `json:"type"`
		Features []cityFeature `json:"features"`
	}{Type: "FeatureCollection", Features: make([]cityFeature, 0, len(r.Cities))}
	for _, c := range r.Cities {
		props := map[string]any{"code": c.Code, "name": c.Name, "pinyin": c.Pinyin, "province": c.Province,
			"population": c.Population, "day_orders": c.DayOrdersSimulated, "radius_km": c.RadiusKm}
		for _, p := range c.Policies {
			props[p.Policy+"_cost_per_order"] = p.Cost.PerOrder
			props[p.Policy+"_p90_min"] = p.Latency.P90
			props[p.Policy+"_on_time_rate"] = p.OnTimeRate
		}
		fc.Features = append(fc.Features, cityFeature{Type: "Feature",
			Geometry: pointGeometry{Type: "Point", Coordinates: [2]float64{c.Lon, c.Lat}}, Properties: props})
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
