package geo

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// beijingFile is the repository's embedded copy of the shared boundary file; the
// shared copy beside the repository is the fallback.
var beijingFile = []string{
	"../fixtures/geo/beijing_districts.geojson",
	"../../shared/data/boundaries/beijing_districts.geojson",
}

func readBeijing(t testing.TB) []Zone {
	t.Helper()
	for _, path := range beijingFile {
		f, err := os.Open(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		zones, err := ReadZones(f, filepath.Base(path))
		if err != nil {
			t.Fatalf("ReadZones: %v", err)
		}
		return zones
	}
	t.Fatalf("beijing_districts.geojson not found in %v", beijingFile)
	return nil
}

func zoneNamed(t testing.TB, zones []Zone, name string) *Zone {
	t.Helper()
	for i := range zones {
		if zones[i].Name == name {
			return &zones[i]
		}
	}
	t.Fatalf("no zone named %q", name)
	return nil
}

func TestReadZonesBeijing(t *testing.T) {
	zones := readBeijing(t)
	if len(zones) != 16 {
		t.Fatalf("got %d zones, want 16", len(zones))
	}
	// Official area 16,410.54 km²; the sphere of radius 6,378,137 m and the
	// 0.001-degree outline leave it within a fraction of a percent.
	total := 0.0
	for _, z := range zones {
		total += z.AreaKm2
	}
	if want := 16410.54; math.Abs(total-want) > 0.03*want {
		t.Errorf("total area = %.1f km², want %.0f ± 3%%", total, want)
	}
	chaoyang := zoneNamed(t, zones, "朝阳区")
	if chaoyang.ID != "110105" {
		t.Errorf("朝阳区 ID = %q, want %q", chaoyang.ID, "110105")
	}
	if len(chaoyang.Geometry) != 2 {
		t.Errorf("朝阳区 has %d polygons, want 2 (the district and its exclave)", len(chaoyang.Geometry))
	}
	if want := (orb.Point{116.486409, 39.921489}); chaoyang.Center != want {
		t.Errorf("朝阳区 Center = %v, want its cp %v", chaoyang.Center, want)
	}
	for _, z := range zones {
		if !z.Contains(z.Center) {
			t.Errorf("%s: Center %v is outside the zone", z.Name, z.Center)
		}
		if got := z.Geometry.Bound(); z.Bound != got {
			t.Errorf("%s: Bound = %v, want %v", z.Name, z.Bound, got)
		}
		if z.AreaKm2 < 20 || z.AreaKm2 > 2500 {
			t.Errorf("%s: AreaKm2 = %.1f, want a district-sized 20..2500", z.Name, z.AreaKm2)
		}
		if !strings.HasPrefix(z.ID, "1101") {
			t.Errorf("%s: ID = %q, want a 1101xx code", z.Name, z.ID)
		}
	}
}

func TestLocateBeijing(t *testing.T) {
	zones := readBeijing(t)
	tests := []struct {
		name string
		p    orb.Point
		want string // "" for none
	}{
		{"Sanlitun", orb.Point{116.455, 39.936}, "朝阳区"},
		{"Zhongguancun", orb.Point{116.316, 39.984}, "海淀区"},
		{"Tiananmen", orb.Point{116.3975, 39.9087}, "东城区"},
		{"Yanqing town", orb.Point{115.975, 40.456}, "延庆区"},
		{"Chaoyang's exclave by the airport", orb.Point{116.59, 40.075}, "朝阳区"},
		{"Shanghai", orb.Point{121.49, 31.24}, ""},
		{"lat/lon swapped", orb.Point{39.9087, 116.3975}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if i := Locate(zones, tt.p); i >= 0 {
				got = zones[i].Name
			}
			if got != tt.want {
				t.Errorf("Locate(%v) = %q, want %q", tt.p, got, tt.want)
			}
		})
	}
	if got := Locate(nil, orb.Point{116.4, 39.9}); got != -1 {
		t.Errorf("Locate(nil) = %d, want -1", got)
	}
}

func TestSampleUniformBeijing(t *testing.T) {
	zones := readBeijing(t)
	rng := rand.New(rand.NewPCG(10, 10))
	for i := range zones {
		z := &zones[i]
		for range 200 {
			p := z.SampleUniform(rng)
			if !z.Contains(p) {
				t.Fatalf("%s: SampleUniform = %v, outside the zone", z.Name, p)
			}
			// Neighbouring districts in the file overlap by slivers along their
			// borders, so Locate may name an earlier zone, never a later one.
			if got := Locate(zones, p); got < 0 || got > i {
				t.Fatalf("%s: Locate(SampleUniform) = %d, want %d or an earlier zone", z.Name, got, i)
			}
		}
	}
}

func TestSampleUniformIsUniformByArea(t *testing.T) {
	// On a lon/lat rectangle from the equator to 60°N, the band below 30°N holds
	// sin 30° / sin 60° = 57.7% of the area, not the 50% of its degrees.
	read, err := ReadZones(strings.NewReader(fc(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,60],[0,60],[0,0]]]}}`)), "rect")
	if err != nil {
		t.Fatal(err)
	}
	zones := map[string]Zone{"by hand": rectZone(0, 0, 10, 60), "ReadZones (grid)": read[0]}
	for name, z := range zones {
		rng := rand.New(rand.NewPCG(11, 11))
		const n = 20000
		below := 0
		for range n {
			if z.SampleUniform(rng)[1] < 30 {
				below++
			}
		}
		got, want := float64(below)/n, math.Sin(math.Pi/6)/math.Sin(math.Pi/3)
		if math.Abs(got-want) > 0.015 {
			t.Errorf("%s: share below 30°N = %.4f, want %.4f", name, got, want)
		}
	}
}

func TestSampleNearBeijing(t *testing.T) {
	zones := readBeijing(t)
	rng := rand.New(rand.NewPCG(12, 12))
	const sigma = 300
	// Median distance of a 2-D isotropic normal from its centre: σ·sqrt(2 ln 2).
	wantMedian := sigma * math.Sqrt(2*math.Ln2)
	for i := range zones {
		z := &zones[i]
		near := make([]float64, 501)
		uniform := make([]float64, len(near))
		for j := range near {
			p := z.SampleNear(rng, sigma)
			if !z.Contains(p) {
				t.Fatalf("%s: SampleNear = %v, outside the zone", z.Name, p)
			}
			near[j] = float64(Distance(z.Center, p))
			uniform[j] = float64(Distance(z.Center, z.SampleUniform(rng)))
		}
		slices.Sort(near)
		slices.Sort(uniform)
		if got := near[len(near)/2]; math.Abs(got-wantMedian) > 0.1*wantMedian {
			t.Errorf("%s: median distance from Center = %.0f m, want %.0f m ± 10%%", z.Name, got, wantMedian)
		}
		if near[len(near)/2] > uniform[len(uniform)/2]/3 {
			t.Errorf("%s: SampleNear median %.0f m is not well below SampleUniform median %.0f m",
				z.Name, near[len(near)/2], uniform[len(uniform)/2])
		}
	}
}

func TestSampleNearEdgeCases(t *testing.T) {
	zones := readBeijing(t)
	z := zoneNamed(t, zones, "东城区")
	rng := rand.New(rand.NewPCG(13, 13))
	for _, sigma := range []Meters{0, -5, Meters(math.NaN())} {
		if got := z.SampleNear(rng, sigma); got != z.Center {
			t.Errorf("SampleNear(sigma=%v) = %v, want Center %v", sigma, got, z.Center)
		}
	}
	// A sigma far larger than the zone falls back to uniform sampling: still inside.
	for range 20 {
		if p := z.SampleNear(rng, 1e6); !z.Contains(p) {
			t.Fatalf("SampleNear(1e6 m) = %v, outside the zone", p)
		}
	}
}

func TestSamplingDeterministic(t *testing.T) {
	zones := readBeijing(t)
	draw := func() []orb.Point {
		rng := rand.New(rand.NewPCG(14, 14))
		var pts []orb.Point
		for i := range zones {
			pts = append(pts, zones[i].SampleUniform(rng), zones[i].SampleNear(rng, 800))
		}
		return pts
	}
	if a, b := draw(), draw(); !slices.Equal(a, b) {
		t.Errorf("same seed gave different samples:\n%v\n%v", a, b)
	}
}

func TestSampleUniformZeroArea(t *testing.T) {
	// A zone with no area cannot be hit; after its tries it returns Center.
	z := Zone{Geometry: orb.MultiPolygon{{{{1, 1}, {2, 2}, {3, 3}, {1, 1}}}}, Center: orb.Point{2, 2}}
	z.Bound = z.Geometry.Bound()
	if got := z.SampleUniform(rand.New(rand.NewPCG(15, 15))); !z.Contains(got) {
		t.Errorf("SampleUniform on a zero-area zone = %v, want a point on it", got)
	}
}

func rectZone(lon0, lat0, lon1, lat1 float64) Zone {
	mp := orb.MultiPolygon{{{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}}}
	return Zone{Geometry: mp, Bound: mp.Bound(), Center: orb.Point{(lon0 + lon1) / 2, (lat0 + lat1) / 2}}
}

// fc wraps features into a FeatureCollection document.
func fc(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

const square = `{"type":"Polygon","coordinates":[[[116,39],[117,39],[117,40],[116,40],[116,39]]]}`

func TestReadZonesFields(t *testing.T) {
	// A U shape: its centroid lies in the notch, outside.
	u := `{"type":"Polygon","coordinates":[[[0,0],[3,0],[3,3],[2,3],[2,1],[1,1],[1,3],[0,3],[0,0]]]}`
	withHole := `{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,3],[3,3],[3,1],[1,1]]]}`
	tests := []struct {
		name    string
		feature string
		check   func(t *testing.T, z Zone)
	}{
		{"number id keeps its spelling", `{"type":"Feature","id":110101,"geometry":` + square + `,"properties":{"name":"东城区"}}`,
			func(t *testing.T, z Zone) {
				if z.ID != "110101" || z.Name != "东城区" {
					t.Errorf("ID, Name = %q, %q, want %q, %q", z.ID, z.Name, "110101", "东城区")
				}
			}},
		{"string id, no properties", `{"type":"Feature","id":"a-1","geometry":` + square + `,"properties":null}`,
			func(t *testing.T, z Zone) {
				if z.ID != "a-1" || z.Name != "" {
					t.Errorf("ID, Name = %q, %q, want %q, %q", z.ID, z.Name, "a-1", "")
				}
			}},
		{"cp inside is Center", `{"type":"Feature","geometry":` + square + `,"properties":{"cp":[116.2,39.3]}}`,
			func(t *testing.T, z Zone) {
				if want := (orb.Point{116.2, 39.3}); z.Center != want {
					t.Errorf("Center = %v, want %v", z.Center, want)
				}
			}},
		{"cp outside is replaced", `{"type":"Feature","geometry":` + square + `,"properties":{"cp":[120,30]}}`,
			func(t *testing.T, z Zone) {
				if want := (orb.Point{116.5, 39.5}); !near(z.Center[0], want[0], 1e-9) || !near(z.Center[1], want[1], 1e-9) {
					t.Errorf("Center = %v, want the centroid %v", z.Center, want)
				}
			}},
		{"centroid outside: Center moves inside", `{"type":"Feature","geometry":` + u + `}`,
			func(t *testing.T, z Zone) {
				if !z.Contains(z.Center) {
					t.Errorf("Center %v is outside the U", z.Center)
				}
			}},
		{"hole", `{"type":"Feature","geometry":` + withHole + `}`,
			func(t *testing.T, z Zone) {
				if z.Contains(orb.Point{2, 2}) {
					t.Error("Contains(point in hole) = true, want false")
				}
				if !z.Contains(orb.Point{0.5, 2}) || !z.Contains(z.Center) {
					t.Errorf("Contains(ring point) = false or Center %v outside", z.Center)
				}
				outer, hole := orbgeo.Area(rectZone(0, 0, 4, 4).Geometry), orbgeo.Area(rectZone(1, 1, 3, 3).Geometry)
				if got, want := z.AreaKm2, (outer-hole)/1e6; math.Abs(got-want) > 1e-9*want {
					t.Errorf("AreaKm2 = %.1f, want %.1f (outer minus hole)", got, want)
				}
			}},
		{"unclosed ring is closed", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}}`,
			func(t *testing.T, z Zone) {
				if r := z.Geometry[0][0]; len(r) != 4 || r[0] != r[3] {
					t.Errorf("ring = %v, want 4 positions, closed", r)
				}
			}},
		{"degenerate ring dropped", `{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[5,6],[5,5]]]]}}`,
			func(t *testing.T, z Zone) {
				if len(z.Geometry) != 1 {
					t.Errorf("got %d polygons, want 1", len(z.Geometry))
				}
			}},
		{"extra members and altitude ignored", `{"type":"Feature","bbox":[0,0,1,1],"geometry":{"type":"Polygon","coordinates":[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]},"foo":1}`,
			func(t *testing.T, z Zone) {
				if len(z.Geometry[0][0]) != 4 {
					t.Errorf("ring = %v, want 4 positions", z.Geometry[0][0])
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zones, err := ReadZones(strings.NewReader(fc(tt.feature)), "test.geojson")
			if err != nil {
				t.Fatalf("ReadZones: %v", err)
			}
			if len(zones) != 1 {
				t.Fatalf("got %d zones, want 1", len(zones))
			}
			tt.check(t, zones[0])
		})
	}
}

func TestReadZonesErrors(t *testing.T) {
	feature := func(geometry string) string {
		return `{"type":"Feature","geometry":` + geometry + `}`
	}
	tests := []struct {
		name, input, want string
	}{
		{"empty input", ``, "bj.geojson:1: unexpected end of JSON input"},
		{"not JSON", `hello`, "bj.geojson:1: invalid character 'h' looking for beginning of value"},
		{"syntax error on line 3", "{\n\"type\": \"FeatureCollection\",\n\"features\": [}", "bj.geojson:3: invalid character '}' looking for beginning of value"},
		{"trailing garbage", fc(feature(square)) + `x`, "bj.geojson:1: invalid character 'x' after top-level value"},
		{"array", `[]`, "bj.geojson: expected object, got array"},
		{"wrong type", `{"type":"Feature"}`, `bj.geojson: type: expected FeatureCollection, got Feature`},
		{"missing type", `{"features":[]}`, `bj.geojson: type: expected FeatureCollection, got nothing`},
		{"no features", fc(), "bj.geojson: features: expected a non-empty array, got array"},
		{"features not array", `{"type":"FeatureCollection","features":{}}`, "bj.geojson: features: expected a non-empty array, got object"},
		{"feature not object", fc(`42`), "bj.geojson: features[0]: expected object, got number"},
		{"feature type", fc(`{"type":"Point","geometry":` + square + `}`), "bj.geojson: features[0].type: expected Feature, got Point"},
		{"point geometry", fc(feature(square), feature(square), feature(square), feature(`{"type":"Point","coordinates":[116,39]}`)),
			"bj.geojson: features[3].geometry: expected Polygon or MultiPolygon, got Point"},
		{"null geometry", fc(feature(`null`)), "bj.geojson: features[0].geometry: expected Polygon or MultiPolygon, got null"},
		{"missing geometry", fc(`{"type":"Feature"}`), "bj.geojson: features[0].geometry: expected Polygon or MultiPolygon, got null"},
		{"misspelt geometry", fc(feature(`{"type":"Polygn","coordinates":[]}`)), `bj.geojson: features[0].geometry: expected Polygon or MultiPolygon, got Polygn`},
		{"coordinates not numbers", fc(feature(`{"type":"Polygon","coordinates":[[["a","b"]]]}`)),
			"bj.geojson: features[0].geometry.coordinates: expected an array of rings of [lon, lat] positions"},
		{"coordinates missing", fc(feature(`{"type":"MultiPolygon"}`)),
			"bj.geojson: features[0].geometry.coordinates: expected an array of polygons of rings of [lon, lat] positions"},
		{"short position", fc(feature(`{"type":"Polygon","coordinates":[[[0,0],[1],[1,1],[0,0]]]}`)),
			"bj.geojson: features[0].geometry.coordinates[0][1]: position needs 2 numbers, got 1"},
		{"latitude out of range", fc(feature(`{"type":"MultiPolygon","coordinates":[[[[39.9,116.4],[39.9,116.5],[40,116.5],[39.9,116.4]]]]}`)),
			"bj.geojson: features[0].geometry.coordinates[0][0][0]: [39.9, 116.4] is not a [lon, lat] position"},
		{"only degenerate rings", fc(feature(`{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}`)),
			"bj.geojson: features[0].geometry.coordinates: no ring with at least 4 positions"},
		{"empty polygon", fc(feature(`{"type":"Polygon","coordinates":[]}`)),
			"bj.geojson: features[0].geometry.coordinates: no ring with at least 4 positions"},
		{"bad id", fc(`{"type":"Feature","id":[1],"geometry":` + square + `}`), "bj.geojson: features[0].id: expected string or number, got array"},
		{"bad properties", fc(`{"type":"Feature","properties":[1],"geometry":` + square + `}`), "bj.geojson: features[0].properties: expected object, got array"},
		{"bad name", fc(`{"type":"Feature","properties":{"name":5},"geometry":` + square + `}`), "bj.geojson: features[0].properties.name: expected string, got number"},
		{"bad cp", fc(`{"type":"Feature","properties":{"cp":[1]},"geometry":` + square + `}`), "bj.geojson: features[0].properties.cp: expected [lon, lat], got array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zones, err := ReadZones(strings.NewReader(tt.input), "bj.geojson")
			if err == nil {
				t.Fatalf("ReadZones = %d zones, nil error; want error %q", len(zones), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\n                 want %q", err, tt.want)
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestReadZonesReadError(t *testing.T) {
	_, err := ReadZones(failingReader{}, "bj.geojson")
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("error = %v, want one wrapping io.ErrUnexpectedEOF", err)
	}
}

func FuzzReadZones(f *testing.F) {
	f.Add([]byte(fc(`{"type":"Feature","id":1,"geometry":` + square + `,"properties":{"name":"x","cp":[116.5,39.5]}}`)))
	f.Add([]byte(fc(`{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[3,0],[3,3],[2,3],[2,1],[1,1],[1,3],[0,3],[0,0]]],[[[5,5],[6,5],[5,5]]]]}}`)))
	f.Add([]byte(fc(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0],[0,0]]]}}`)))
	f.Add([]byte(`{"type":"FeatureCollection","features":[null]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[]]]}}]}`))
	f.Add([]byte(`not json`))
	if data, err := os.ReadFile(beijingFile[0]); err == nil {
		f.Add(data[:min(len(data), 4096)]) // truncated: a syntax error
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		zones, err := ReadZones(bytes.NewReader(data), "fuzz.geojson")
		if err != nil {
			if zones != nil {
				t.Errorf("got zones %v with error %v", zones, err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.geojson") {
				t.Errorf("error %q does not start with the file name", err)
			}
			return
		}
		if len(zones) == 0 {
			t.Error("no zones and no error")
		}
		for _, z := range zones {
			if len(z.Geometry) == 0 {
				t.Errorf("zone %q has no polygons", z.ID)
			}
			if !z.Contains(z.Center) {
				t.Errorf("zone %q: Center %v outside", z.ID, z.Center)
			}
		}
	})
}

func BenchmarkSampleUniform(b *testing.B) {
	zones := readBeijing(b)
	rng := rand.New(rand.NewPCG(16, 16))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		zones[i%len(zones)].SampleUniform(rng)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "points/s")
}

func BenchmarkSampleNear(b *testing.B) {
	zones := readBeijing(b)
	rng := rand.New(rand.NewPCG(17, 17))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		zones[i%len(zones)].SampleNear(rng, 2000)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "points/s")
}

func BenchmarkLocate(b *testing.B) {
	zones := readBeijing(b)
	pts := beijingPoints(rand.New(rand.NewPCG(18, 18)), 1024)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Locate(zones, pts[i&1023])
		i++
	}
}

func BenchmarkReadZonesBeijing(b *testing.B) {
	data, err := os.ReadFile(beijingFile[0])
	if err != nil {
		b.Skip(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadZones(bytes.NewReader(data), "beijing"); err != nil {
			b.Fatal(err)
		}
	}
}
