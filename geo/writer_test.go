package geo

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// sampleFeatures is a small map of a delivery: a station, a route, a service area
// drawn clockwise with a clockwise hole (both wrong for RFC 7946), and more.
func sampleFeatures() []*geojson.Feature {
	station := geojson.NewFeature(orb.Point{116.4074001234, 39.9042004999})
	station.ID = "jd-bj-001"
	station.Properties = geojson.Properties{
		"kind": "station", "carrier": "JD Logistics", "name": "朝阳 <三里屯> & 站",
		"capacity": 1200, "vehicles": map[string]any{"van": 4, "etrike": 12},
	}

	route := geojson.NewFeature(orb.LineString{{116.4074, 39.9042}, {116.4551234567, 39.9366}, {116.4600004, 39.9400004}})
	route.ID = 17
	route.Properties = geojson.Properties{"kind": "route", "km": 6.25, "stops": []any{"a", "b"}}

	area := geojson.NewFeature(orb.Polygon{
		{{116.30, 39.85}, {116.30, 39.95}, {116.50, 39.95}, {116.50, 39.85}, {116.30, 39.85}}, // clockwise
		{{116.35, 39.88}, {116.45, 39.88}, {116.45, 39.92}, {116.35, 39.92}, {116.35, 39.88}}, // counter-clockwise hole
	})
	area.Properties = geojson.Properties{"kind": "service_area", "orders": 42}

	multi := geojson.NewFeature(orb.MultiPolygon{
		{{{116.6, 40.0}, {116.7, 40.0}, {116.7, 40.1}, {116.6, 40.0}}},
		{{{116.8, 40.0}, {116.8, 40.1}, {116.9, 40.0}}}, // clockwise, not closed
	})
	unlocated := geojson.NewFeature(nil)
	unlocated.Properties = nil
	unlocated.ID = 2.5
	return []*geojson.Feature{station, route, area, multi, unlocated}
}

func writeAll(t *testing.T, features []*geojson.Feature) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw := NewFeatureWriter(&buf)
	for _, f := range features {
		if err := fw.Write(f); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	if got := fw.Count(); got != len(features) {
		t.Errorf("Count() = %d, want %d", got, len(features))
	}
	if err := fw.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

func TestFeatureWriterGolden(t *testing.T) {
	got := writeAll(t, sampleFeatures())
	path := filepath.Join("testdata", "features.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./geo/ -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (rerun with -update if intended)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestFeatureWriterRoundTrip(t *testing.T) {
	in := sampleFeatures()
	out := writeAll(t, in)
	fc, err := geojson.UnmarshalFeatureCollection(out)
	if err != nil {
		t.Fatalf("UnmarshalFeatureCollection: %v\n%s", err, out)
	}
	if len(fc.Features) != len(in) {
		t.Fatalf("got %d features back, want %d", len(fc.Features), len(in))
	}
	for i, f := range fc.Features {
		if f.BBox != nil || f.ExtraMembers != nil {
			t.Errorf("feature %d: bbox %v, extra members %v; want none", i, f.BBox, f.ExtraMembers)
		}
	}
	if got := fc.Features[0].Geometry; got != (orb.Point{116.4074, 39.9042}) {
		t.Errorf("point = %v, want %v (rounded to 6 decimals)", got, orb.Point{116.4074, 39.9042})
	}
	if got, want := fc.Features[1].Geometry.(orb.LineString)[2], (orb.Point{116.46, 39.94}); got != want {
		t.Errorf("line vertex = %v, want %v", got, want)
	}
	if got := fc.Features[0].Properties["name"]; got != "朝阳 <三里屯> & 站" {
		t.Errorf("name = %q, want it unchanged", got)
	}
	if got := fc.Features[1].ID; got != 17.0 {
		t.Errorf("id = %v, want 17", got)
	}
	if fc.Features[4].Geometry != nil {
		t.Errorf("nil geometry came back as %v", fc.Features[4].Geometry)
	}
	if strings.Contains(string(out), `"bbox"`) || strings.Contains(string(out), `"crs"`) {
		t.Error(`output has a "bbox" or "crs" member`)
	}
}

func TestFeatureWriterWinding(t *testing.T) {
	fc, err := geojson.UnmarshalFeatureCollection(writeAll(t, sampleFeatures()))
	if err != nil {
		t.Fatal(err)
	}
	var polys []orb.Polygon
	polys = append(polys, fc.Features[2].Geometry.(orb.Polygon))
	polys = append(polys, fc.Features[3].Geometry.(orb.MultiPolygon)...)
	for pi, p := range polys {
		for ri, r := range p {
			if r[0] != r[len(r)-1] {
				t.Errorf("polygon %d ring %d is not closed: %v", pi, ri, r)
			}
			a := orbgeo.SignedArea(r)
			if ri == 0 && !(a > 0) {
				t.Errorf("polygon %d exterior: signed area %v, want > 0 (counter-clockwise)", pi, a)
			}
			if ri > 0 && !(a < 0) {
				t.Errorf("polygon %d hole %d: signed area %v, want < 0 (clockwise)", pi, ri, a)
			}
		}
	}
}

func TestFeatureWriterDeterministic(t *testing.T) {
	// Maps iterate in random order; the bytes must not.
	props := geojson.Properties{}
	for _, k := range strings.Fields("z y x w v u t s r q p o n m l k j i h g f e d c b a") {
		props[k] = map[string]any{"b": 1, "a": k}
	}
	f := geojson.NewFeature(orb.Point{116.4, 39.9})
	f.Properties = props
	first := writeAll(t, []*geojson.Feature{f})
	for range 20 {
		if again := writeAll(t, []*geojson.Feature{f}); !bytes.Equal(first, again) {
			t.Fatalf("two writes of one feature differ:\n%s\n%s", first, again)
		}
	}
	if !strings.Contains(string(first), `"properties":{"a":{"a":"a","b":1},"b":`) {
		t.Errorf("keys not sorted: %s", first)
	}
}

func TestFeatureWriterDoesNotModifyFeature(t *testing.T) {
	f := sampleFeatures()[2]
	before := orb.Clone(f.Geometry)
	writeAll(t, []*geojson.Feature{f})
	if !orb.Equal(f.Geometry, before) {
		t.Errorf("Write changed the feature's geometry:\ngot  %v\nwant %v", f.Geometry, before)
	}
}

func TestFeatureWriterEmpty(t *testing.T) {
	got := writeAll(t, nil)
	if want := `{"type":"FeatureCollection","features":[]}` + "\n"; string(got) != want {
		t.Errorf("empty collection = %q, want %q", got, want)
	}
	if _, err := geojson.UnmarshalFeatureCollection(got); err != nil {
		t.Errorf("empty collection does not parse: %v", err)
	}
}

func TestFeatureWriterOneFeaturePerLine(t *testing.T) {
	out := writeAll(t, sampleFeatures())
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if want := len(sampleFeatures()) + 2; len(lines) != want {
		t.Fatalf("got %d lines, want %d (header, one per feature, footer)", len(lines), want)
	}
	for i, l := range lines[1 : len(lines)-1] {
		if !strings.HasPrefix(l, `{"type":"Feature",`) {
			t.Errorf("line %d = %.40q..., want a feature", i+2, l)
		}
	}
}

func TestFeatureWriterErrors(t *testing.T) {
	tests := []struct {
		name string
		f    *geojson.Feature
		want string
	}{
		{"nil feature", nil, "geo: feature 1: nil feature"},
		{"NaN coordinate", geojson.NewFeature(orb.LineString{{1, 2}, {math.NaN(), 2}}), "geo: feature 1: geometry: coordinate NaN is not finite"},
		{"Inf coordinate", geojson.NewFeature(orb.Point{math.Inf(1), 2}), "geo: feature 1: geometry: coordinate +Inf is not finite"},
		{"bad id", &geojson.Feature{ID: []int{1}, Geometry: orb.Point{1, 2}}, "geo: feature 1: id: must be a string or number, got []int"},
		{"NaN id", &geojson.Feature{ID: math.NaN(), Geometry: orb.Point{1, 2}}, "geo: feature 1: id: json: unsupported value: NaN"},
		{"bad property", &geojson.Feature{Geometry: orb.Point{1, 2}, Properties: geojson.Properties{"f": func() {}}},
			"geo: feature 1: properties: json: unsupported type: func()"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			fw := NewFeatureWriter(&buf)
			if err := fw.Write(geojson.NewFeature(orb.Point{1, 2})); err != nil {
				t.Fatal(err)
			}
			err := fw.Write(tt.f)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Write error = %v, want %q", err, tt.want)
			}
			// The bad feature wrote nothing and the writer is still usable.
			if err := fw.Write(geojson.NewFeature(orb.Point{3, 4})); err != nil {
				t.Fatalf("Write after a rejected feature: %v", err)
			}
			if err := fw.Close(); err != nil {
				t.Fatal(err)
			}
			fc, err := geojson.UnmarshalFeatureCollection(buf.Bytes())
			if err != nil || len(fc.Features) != 2 || fw.Count() != 2 {
				t.Errorf("after a rejected feature: %v, Count %d, output %s", err, fw.Count(), buf.Bytes())
			}
		})
	}
}

var errDiskFull = errors.New("disk full")

type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errDiskFull
	}
	return len(p), nil
}

func TestFeatureWriterWriteErrorIsSticky(t *testing.T) {
	fw := NewFeatureWriter(&failAfter{n: 10})
	var err error
	// The buffer hides the failure until it fills up or Close flushes.
	for i := 0; i < 10000 && err == nil; i++ {
		err = fw.Write(geojson.NewFeature(orb.Point{116.4, 39.9}))
	}
	if err == nil {
		err = fw.Close()
	}
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("error = %v, want disk full", err)
	}
	if err := fw.Write(geojson.NewFeature(orb.Point{1, 2})); !errors.Is(err, errDiskFull) {
		t.Errorf("Write after failure = %v, want the same error", err)
	}
	if err := fw.Close(); !errors.Is(err, errDiskFull) {
		t.Errorf("Close after failure = %v, want the same error", err)
	}
}

func TestFeatureWriterClosed(t *testing.T) {
	var buf bytes.Buffer
	fw := NewFeatureWriter(&buf)
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if err := fw.Write(geojson.NewFeature(orb.Point{1, 2})); !errors.Is(err, errWriterClosed) {
		t.Errorf("Write after Close = %v, want %v", err, errWriterClosed)
	}
}

func TestFeatureWriterOgrinfo(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo not on PATH (Debian package gdal-bin)")
	}
	// Features as the simulator writes them: stations, their service areas and a route.
	var features []*geojson.Feature
	for i, c := range []orb.Point{{116.40, 39.90}, {116.46, 39.93}, {116.31, 39.98}} {
		st := geojson.NewFeature(c)
		st.ID = i + 1
		st.Properties = geojson.Properties{"layer": "station", "name": "站" + string(rune('A'+i))}
		area := geojson.NewFeature(Circle(c, 2500, 48))
		area.Properties = geojson.Properties{"layer": "service_area", "station": i + 1}
		features = append(features, st, area)
	}
	route := geojson.NewFeature(orb.LineString{{116.40, 39.90}, {116.46, 39.93}, {116.31, 39.98}})
	route.Properties = geojson.Properties{"layer": "route", "km": 21.4}
	features = append(features, route)

	path := filepath.Join(t.TempDir(), "map.geojson")
	if err := os.WriteFile(path, writeAll(t, features), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ogrinfo, "-so", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(out)
	if m == nil || string(m[1]) != "7" {
		t.Errorf("ogrinfo reports %q, want Feature Count: 7\n%s", m, out)
	}
	if bytes.Contains(out, []byte("ERROR")) || bytes.Contains(out, []byte("Warning")) {
		t.Errorf("ogrinfo complained:\n%s", out)
	}
}

func BenchmarkFeatureWriter(b *testing.B) {
	// A 64-vertex service area, the largest feature written per station.
	f := geojson.NewFeature(Circle(orb.Point{116.4, 39.9}, 3000, 64))
	f.Properties = geojson.Properties{"station": "jd-bj-001", "orders": 1234}
	fw := NewFeatureWriter(discard{})
	b.ReportAllocs()
	for b.Loop() {
		if err := fw.Write(f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "features/s")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func TestAppendCoord(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{-0.0000001, "0"},
		{116.4074001234, "116.4074"},
		{39.9042004999, "39.9042"},
		{39.90420050001, "39.904201"},
		{-179.9999996, "-180"},
		{-0.5, "-0.5"},
		{0.000001, "0.000001"},
		{-0.0000015, "-0.000002"},
		{1e300, "1e+300"}, // not a coordinate, but still valid JSON
	}
	for _, tt := range tests {
		got, err := appendCoord(nil, tt.v)
		if err != nil || string(got) != tt.want {
			t.Errorf("appendCoord(%v) = %q, %v; want %q", tt.v, got, err, tt.want)
		}
	}
	// The integer formatting must give strconv's bytes for the rounded value.
	rng := rand.New(rand.NewPCG(40, 40))
	for range 200000 {
		v := (rng.Float64()*2 - 1) * math.Pow(10, float64(rng.IntN(9)-5))
		got, _ := appendCoord(nil, v)
		r := math.Round(v*1e6) / 1e6
		if r == 0 {
			r = 0
		}
		if want := strconv.FormatFloat(r, 'f', -1, 64); string(got) != want {
			t.Fatalf("appendCoord(%v) = %q, want %q", v, got, want)
		}
	}
}

func BenchmarkFeatureWriterPoint(b *testing.B) {
	// An order as a point, the most numerous feature.
	f := geojson.NewFeature(orb.Point{116.407412, 39.904223})
	f.ID = 123456789
	f.Properties = geojson.Properties{"platform": "JD", "carrier": "JDL", "minutes": 132.5}
	fw := NewFeatureWriter(discard{})
	b.ReportAllocs()
	for b.Loop() {
		if err := fw.Write(f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "features/s")
}

// TestFeatureParts writes features into parts (NewFeaturePart), some empty, and joins them with CopyPart
// after other features or as the collection's first: the bytes are those of writing every feature in turn.
func TestFeatureParts(t *testing.T) {
	fs := sampleFeatures()
	want := writeAll(t, fs)
	for _, split := range [][]int{{0, 0, 2, 5}, {0, 3, 3, 5}, {1, 4, 5, 5}} {
		// features [0, split[0]) written directly, then parts [split[0], split[1]), [split[1], split[2]),
		// [split[2], split[3]), then the rest directly.
		var buf bytes.Buffer
		fw := NewFeatureWriter(&buf)
		for _, f := range fs[:split[0]] {
			if err := fw.Write(f); err != nil {
				t.Fatal(err)
			}
		}
		for k := 0; k+1 < len(split); k++ {
			var part bytes.Buffer
			pw := NewFeaturePart(&part)
			for _, f := range fs[split[k]:split[k+1]] {
				if err := pw.Write(f); err != nil {
					t.Fatal(err)
				}
			}
			if err := pw.Close(); err != nil {
				t.Fatal(err)
			}
			if err := fw.CopyPart(&part, pw.Count()); err != nil {
				t.Fatalf("split %v: CopyPart: %v", split, err)
			}
		}
		for _, f := range fs[split[len(split)-1]:] {
			if err := fw.Write(f); err != nil {
				t.Fatal(err)
			}
		}
		if err := fw.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("split %v: joined parts differ from features written in turn:\n%s\nwant:\n%s", split, buf.Bytes(), want)
		}
		if fw.Count() != len(fs) {
			t.Errorf("split %v: Count() = %d, want %d", split, fw.Count(), len(fs))
		}
	}
	// A first part that is not one is refused.
	fw := NewFeatureWriter(io.Discard)
	if err := fw.CopyPart(strings.NewReader(`{"type":"Feature"}`), 1); err == nil {
		t.Error("CopyPart of bytes that are no part: want an error")
	}
}
