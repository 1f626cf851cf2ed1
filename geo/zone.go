package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
)

// Zone is one named polygon area (e.g. a city district).
type Zone struct {
	ID, Name string
	Geometry orb.MultiPolygon
	Center   orb.Point // label point: the feature's "cp" property [lon,lat] if present and inside, else a point inside the polygon near its centroid
	AreaKm2  float64   // spherical area (orbgeo.Area)
	Bound    orb.Bound

	grid *zoneGrid // built by ReadZones; nil for a Zone made by hand, which is slower but correct
}

// ReadZones reads a GeoJSON FeatureCollection of Polygon/MultiPolygon features; name is used in error messages
// ("beijing.geojson: features[3].geometry: expected Polygon or MultiPolygon, got Point"). Property "name" -> Name, feature id -> ID.
//
// A feature without an id gets ID "". Rings that are not closed are closed; rings
// of fewer than 4 positions enclose no area and are dropped (real boundary files
// contain such slivers), and so is a polygon whose exterior ring is dropped. It is
// an error for a feature to have no polygon left, for a coordinate to be out of
// range, or for the collection to have no features.
func ReadZones(r io.Reader, name string) ([]Zone, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if !json.Valid(data) {
		// Valid says only no; Unmarshal says why and where.
		var v any
		err := json.Unmarshal(data, &v)
		if se := (*json.SyntaxError)(nil); errors.As(err, &se) {
			line := 1 + bytes.Count(data[:se.Offset], []byte("\n"))
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	top, err := decodeObject(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if typ := stringMember(top, "type"); typ != "FeatureCollection" {
		return nil, fmt.Errorf("%s: type: expected FeatureCollection, got %s", name, typ)
	}
	var features []json.RawMessage
	if err := json.Unmarshal(top["features"], &features); err != nil || len(features) == 0 {
		return nil, fmt.Errorf("%s: features: expected a non-empty array, got %s", name, describe(top["features"]))
	}
	zones := make([]Zone, 0, len(features))
	for i, raw := range features {
		z, err := readZone(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: features[%d]%w", name, i, err)
		}
		zones = append(zones, z)
	}
	return zones, nil
}

// pathError is an error at a JSON path below a feature; it prints as ".path: msg"
// so that ReadZones can prefix "features[i]".
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string {
	if e.path == "" {
		return ": " + e.err.Error()
	}
	return "." + e.path + ": " + e.err.Error()
}

func (e *pathError) Unwrap() error { return e.err }

func errAt(path, format string, args ...any) error {
	return &pathError{path: path, err: fmt.Errorf(format, args...)}
}

func readZone(raw json.RawMessage) (Zone, error) {
	f, err := decodeObject(raw)
	if err != nil {
		return Zone{}, &pathError{err: err}
	}
	if typ := stringMember(f, "type"); typ != "Feature" {
		return Zone{}, errAt("type", "expected Feature, got %s", typ)
	}
	var z Zone
	if z.ID, err = readID(f["id"]); err != nil {
		return Zone{}, &pathError{path: "id", err: err}
	}
	var props map[string]json.RawMessage
	if p := f["properties"]; p != nil && !isNull(p) {
		if props, err = decodeObject(p); err != nil {
			return Zone{}, &pathError{path: "properties", err: err}
		}
	}
	if v := props["name"]; v != nil && !isNull(v) {
		if err := json.Unmarshal(v, &z.Name); err != nil {
			return Zone{}, errAt("properties.name", "expected string, got %s", describe(v))
		}
	}
	if z.Geometry, err = readPolygons(f["geometry"]); err != nil {
		return Zone{}, err
	}
	z.Bound = z.Geometry.Bound()
	z.AreaKm2 = orbgeo.Area(z.Geometry) / 1e6
	z.grid = newZoneGrid(z.Geometry, z.Bound)

	if v := props["cp"]; v != nil && !isNull(v) {
		var cp []float64
		if err := json.Unmarshal(v, &cp); err != nil || len(cp) != 2 {
			return Zone{}, errAt("properties.cp", "expected [lon, lat], got %s", describe(v))
		}
		// A "cp" outside the zone (a typo, or another datum) would make SampleNear
		// fall back to uniform sampling every time, so it is replaced.
		if p := (orb.Point{cp[0], cp[1]}); z.Contains(p) {
			z.Center = p
			return z, nil
		}
	}
	z.Center = interiorPoint(z.Geometry)
	return z, nil
}

// decodeObject splits a JSON object into its members.
func decodeObject(raw json.RawMessage) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fmt.Errorf("expected object, got %s", describe(raw))
	}
	return m, nil
}

// stringMember returns the string member key of m, or a description of what is
// there instead, for messages such as "expected Feature, got number".
func stringMember(m map[string]json.RawMessage, key string) string {
	var s string
	if err := json.Unmarshal(m[key], &s); err != nil {
		return describe(m[key])
	}
	if s == "" || len(s) > 40 {
		return describe(m[key])
	}
	return s
}

// readID accepts the string or number RFC 7946 allows; numbers keep their JSON
// spelling, so 110101 becomes "110101", not "110101.0".
func readID(raw json.RawMessage) (string, error) {
	if raw == nil || isNull(raw) {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("expected string or number, got %s", describe(raw))
}

func readPolygons(raw json.RawMessage) (orb.MultiPolygon, error) {
	if raw == nil || isNull(raw) {
		return nil, errAt("geometry", "expected Polygon or MultiPolygon, got null")
	}
	g, err := decodeObject(raw)
	if err != nil {
		return nil, &pathError{path: "geometry", err: err}
	}
	typ := stringMember(g, "type")
	var polys [][][][]float64
	switch typ {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(g["coordinates"], &p); err != nil || p == nil {
			return nil, errAt("geometry.coordinates", "expected an array of rings of [lon, lat] positions")
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g["coordinates"], &polys); err != nil || polys == nil {
			return nil, errAt("geometry.coordinates", "expected an array of polygons of rings of [lon, lat] positions")
		}
	default:
		return nil, errAt("geometry", "expected Polygon or MultiPolygon, got %s", typ)
	}
	var mp orb.MultiPolygon
	for pi, poly := range polys {
		var out orb.Polygon
		for ri, ring := range poly {
			r := make(orb.Ring, 0, len(ring)+1)
			for ci, pos := range ring {
				if len(pos) < 2 {
					return nil, errAt(coordPath(typ, pi, ri, ci), "position needs 2 numbers, got %d", len(pos))
				}
				lon, lat := pos[0], pos[1]
				if !(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90) {
					return nil, errAt(coordPath(typ, pi, ri, ci), "[%v, %v] is not a [lon, lat] position", lon, lat)
				}
				r = append(r, orb.Point{lon, lat})
			}
			if len(r) > 0 && r[0] != r[len(r)-1] {
				r = append(r, r[0])
			}
			if len(r) < 4 {
				if ri == 0 {
					break // no exterior: the holes mean nothing either
				}
				continue
			}
			out = append(out, r)
		}
		if len(out) > 0 {
			mp = append(mp, out)
		}
	}
	if len(mp) == 0 {
		return nil, errAt("geometry.coordinates", "no ring with at least 4 positions")
	}
	return mp, nil
}

func coordPath(typ string, pi, ri, ci int) string {
	if typ == "Polygon" {
		return fmt.Sprintf("geometry.coordinates[%d][%d]", ri, ci)
	}
	return fmt.Sprintf("geometry.coordinates[%d][%d][%d]", pi, ri, ci)
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// describe names the JSON type of raw for error messages, or the text of a short
// string, so that a misspelt type reads "got \"Polygn\"".
func describe(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil && len(s) <= 40 {
			return strconv.Quote(s)
		}
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

// Contains reports whether p is inside the zone or on its boundary.
//
// Zones from ReadZones answer most points from a precomputed grid in O(1) and the
// rest with the exact polygon test; that grid is why Geometry should be treated
// as read-only (a replaced Geometry is noticed and the grid ignored; vertices
// changed in place are not).
func (z *Zone) Contains(p orb.Point) bool {
	// The bound check rejects most points of a city in a few comparisons.
	if !z.Bound.Contains(p) {
		return false
	}
	if z.grid.describes(z.Geometry) {
		switch z.grid.class(p) {
		case cellInside:
			return true
		case cellOutside:
			return false
		}
	}
	return planar.MultiPolygonContains(z.Geometry, p)
}

// containsExact is Contains without the grid.
func (z *Zone) containsExact(p orb.Point) bool {
	return z.Bound.Contains(p) && planar.MultiPolygonContains(z.Geometry, p)
}

// maxUniformTries bounds rejection sampling for zones of (nearly) zero area; a
// zone filling even 0.1% of its bound fails that often with probability e^-65.
const maxUniformTries = 1 << 16

// SampleUniform returns a point uniformly distributed (by area, on the sphere, to good approximation) inside the zone.
//
// It proposes points uniform in longitude and in the sine of latitude, which is
// exactly uniform by area on the sphere, and rejects those outside the zone. A
// zone from ReadZones proposes only from grid cells that overlap it (about 1 µs a
// point); one made by hand proposes from its whole Bound. If every try fails, as
// for a zone of zero area, it returns Center.
func (z *Zone) SampleUniform(rng *rand.Rand) orb.Point {
	if z.grid.describes(z.Geometry) {
		if p, ok := z.grid.sample(z, rng); ok {
			return p
		}
		return z.Center
	}
	b := z.Bound
	sinLo := math.Sin(b.Min[1] * math.Pi / 180)
	sinHi := math.Sin(b.Max[1] * math.Pi / 180)
	for range maxUniformTries {
		lon := b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0])
		lat := math.Asin(sinLo+rng.Float64()*(sinHi-sinLo)) * 180 / math.Pi
		if p := (orb.Point{lon, lat}); z.Contains(p) {
			return p
		}
	}
	return z.Center
}

// maxNearTries is the number of rejections after which SampleNear gives up on
// the normal and samples uniformly, e.g. when sigma is much larger than the zone.
const maxNearTries = 64

// SampleNear returns a point inside the zone drawn from a 2-D normal around Center with standard deviation sigma
// (metres, isotropic in local metres), rejecting points outside; after 64 rejections it falls back to SampleUniform.
// A sigma <= 0 returns Center.
func (z *Zone) SampleNear(rng *rand.Rand, sigma Meters) orb.Point {
	if !(sigma > 0) {
		return z.Center
	}
	// Local tangent plane: metres per degree of latitude and of longitude at Center.
	const degPerRad = 180 / math.Pi
	mPerDegLat := orb.EarthRadius / degPerRad
	mPerDegLon := mPerDegLat * math.Cos(z.Center[1]*math.Pi/180)
	for range maxNearTries {
		dx := rng.NormFloat64() * float64(sigma)
		dy := rng.NormFloat64() * float64(sigma)
		p := orb.Point{z.Center[0] + dx/mPerDegLon, z.Center[1] + dy/mPerDegLat}
		if z.Contains(p) {
			return p
		}
	}
	return z.SampleUniform(rng)
}

// Locate returns the index of the first zone containing p, or -1.
func Locate(zones []Zone, p orb.Point) int {
	for i := range zones {
		if zones[i].Contains(p) {
			return i
		}
	}
	return -1
}

// interiorPoint returns a point inside mp near its centroid: the centroid itself
// when inside (convex-ish districts), else the middle of the inside stretch of a
// parallel through the centroid that lies nearest to it (crescents, U shapes).
func interiorPoint(mp orb.MultiPolygon) orb.Point {
	// The lon/lat centroid equals the centroid in a local equirectangular projection:
	// scaling longitude by cos(lat) is affine, and centroids commute with affine maps.
	c, _ := planar.CentroidArea(mp)
	if planar.MultiPolygonContains(mp, c) {
		return c
	}
	lats := []float64{c[1]}
	// Fallbacks: the middle latitude of each polygon, which always crosses it.
	for _, p := range mp {
		b := p.Bound()
		lats = append(lats, (b.Min[1]+b.Max[1])/2)
	}
	var xs []float64
	for _, lat := range lats {
		xs = xs[:0]
		for _, p := range mp {
			for _, r := range p {
				for i := 1; i < len(r); i++ {
					a, b := r[i-1], r[i]
					// Half-open rule: a vertex exactly on the parallel counts once.
					if (a[1] > lat) != (b[1] > lat) {
						xs = append(xs, a[0]+(lat-a[1])/(b[1]-a[1])*(b[0]-a[0]))
					}
				}
			}
		}
		slices.Sort(xs)
		best, bestGap := orb.Point{}, math.Inf(1)
		for i := 0; i+1 < len(xs); i += 2 {
			// Along one parallel, degrees of longitude are proportional to metres.
			m := orb.Point{(xs[i] + xs[i+1]) / 2, lat}
			if gap := math.Abs(m[0] - c[0]); gap < bestGap && planar.MultiPolygonContains(mp, m) {
				best, bestGap = m, gap
			}
		}
		if !math.IsInf(bestGap, 1) {
			return best
		}
	}
	return mp[0][0][0] // on the boundary, which Contains counts as inside
}
