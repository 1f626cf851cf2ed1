package geo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// beijingPoints returns n points uniform in lon/lat over greater Beijing.
func beijingPoints(rng *rand.Rand, n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{115.4 + 2.1*rng.Float64(), 39.4 + 1.7*rng.Float64()}
	}
	return pts
}

// globePoints returns n points uniform on the sphere, a quarter of them crowded
// near the antimeridian and the poles where lon/lat arithmetic goes wrong.
func globePoints(rng *rand.Rand, n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		switch i % 8 {
		case 0: // within 0.5 deg of the antimeridian, either side
			lon := 179.5 + 0.5*rng.Float64()
			if rng.IntN(2) == 0 {
				lon = -lon
			}
			pts[i] = orb.Point{lon, -60 + 120*rng.Float64()}
		case 1: // within 1 deg of a pole
			lat := 89 + rng.Float64()
			if rng.IntN(2) == 0 {
				lat = -lat
			}
			pts[i] = orb.Point{-180 + 360*rng.Float64(), lat}
		default:
			pts[i] = orb.Point{-180 + 360*rng.Float64(), math.Asin(2*rng.Float64()-1) * 180 / math.Pi}
		}
	}
	return pts
}

// bruteKNearest returns the k points nearest to q by haversine distance, ties by
// index, by insertion into a sorted list: a scan of every point.
func bruteKNearest(pts []orb.Point, q orb.Point, k int) []int {
	type cand struct {
		d Meters
		i int
	}
	best := make([]cand, 0, k+1)
	for i, p := range pts {
		c := cand{Distance(q, p), i}
		if len(best) == k && c.d >= best[k-1].d {
			continue // i only grows, so an equal distance loses the tie
		}
		j, _ := slices.BinarySearchFunc(best, c, func(a, b cand) int {
			return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.i, b.i))
		})
		best = slices.Insert(best, j, c)
		if len(best) > k {
			best = best[:k]
		}
	}
	idx := make([]int, len(best))
	for j, c := range best {
		idx[j] = c.i
	}
	return idx
}

// sameRank reports whether got and want name points at the same distances from q.
// Indices may differ only where haversine and chord rankings disagree by rounding,
// i.e. where the two distances agree to a micrometre.
func sameRank(pts []orb.Point, q orb.Point, got, want []int) error {
	if len(got) != len(want) {
		return fmt.Errorf("got %d results, want %d", len(got), len(want))
	}
	for j := range got {
		if got[j] == want[j] {
			continue
		}
		dg, dw := Distance(q, pts[got[j]]), Distance(q, pts[want[j]])
		if math.Abs(float64(dg-dw)) > 1e-6 {
			return fmt.Errorf("rank %d: got point %d at %.6f m, want point %d at %.6f m", j, got[j], dg, want[j], dw)
		}
	}
	return nil
}

func checkAgainstBrute(t *testing.T, stations, queries []orb.Point, ks []int) {
	t.Helper()
	ix := NewIndex(stations)
	if ix.Len() != len(stations) {
		t.Fatalf("Len() = %d, want %d", ix.Len(), len(stations))
	}
	var buf []int
	maxK := max(1, slices.Max(ks))
	for qi, q := range queries {
		want := bruteKNearest(stations, q, maxK)
		i, d := ix.Nearest(q)
		if err := sameRank(stations, q, []int{i}, want[:1]); err != nil {
			t.Fatalf("query %d %v: Nearest: %v", qi, q, err)
		}
		if d != Distance(q, stations[i]) {
			t.Fatalf("query %d: Nearest distance = %v, want Distance(q, pts[%d]) = %v", qi, d, i, Distance(q, stations[i]))
		}
		for _, k := range ks {
			buf = ix.KNearest(q, k, buf)
			if err := sameRank(stations, q, buf, want[:min(k, len(want))]); err != nil {
				t.Fatalf("query %d %v: KNearest(k=%d): %v", qi, q, k, err)
			}
		}
	}
}

func TestIndexBeijing(t *testing.T) {
	for _, n := range []int{40, 300} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			stations := beijingPoints(rng, n)
			queries := beijingPoints(rng, 10000)
			checkAgainstBrute(t, stations, queries, []int{1, 3, 10})
		})
	}
}

func TestIndexGlobe(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	stations := globePoints(rng, 1000)
	queries := globePoints(rng, 10000)
	checkAgainstBrute(t, stations, queries, []int{1, 5, 25})
}

func TestIndexSizes(t *testing.T) {
	// Sizes around leafSize exercise both the scan and the split paths.
	rng := rand.New(rand.NewPCG(3, 3))
	for _, n := range []int{1, 2, 3, leafSize, leafSize + 1, 2*leafSize + 1, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			stations := globePoints(rng, n)
			checkAgainstBrute(t, stations, globePoints(rng, 300), []int{0, 1, 2, n - 1, n, n + 5})
		})
	}
}

func TestIndexAntimeridianAndPole(t *testing.T) {
	tests := []struct {
		name     string
		stations []orb.Point
		q        orb.Point
		want     int
	}{
		// In degrees, -170 is nearer to -179.95 than 179.9 is; on the sphere it is 10x farther.
		{"across the antimeridian", []orb.Point{{-170, 0}, {179.9, 0}}, orb.Point{-179.95, 0}, 1},
		// Near the pole a 180 deg longitude difference is a few km.
		{"across the pole", []orb.Point{{10, 89}, {-170, 89.99}}, orb.Point{10, 89.99}, 1},
		{"Beijing: lon degrees are short", []orb.Point{{116.40, 39.95}, {116.45, 39.91}}, orb.Point{116.40, 39.91}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := NewIndex(tt.stations)
			if got, _ := ix.Nearest(tt.q); got != tt.want {
				t.Errorf("Nearest(%v) = %d, want %d", tt.q, got, tt.want)
			}
		})
	}
}

func TestIndexTies(t *testing.T) {
	// Duplicates and points symmetric about the query (exactly, in floating point,
	// around longitude 0): lowest index first.
	p := orb.Point{0, 39.9}
	stations := []orb.Point{{0.1, 39.9}, {-0.1, 39.9}, p, {0, 40.0}, p, {0.1, 39.9}}
	ix := NewIndex(stations)
	if i, d := ix.Nearest(p); i != 2 || d != 0 {
		t.Errorf("Nearest(duplicate) = (%d, %v), want (2, 0)", i, d)
	}
	got := ix.KNearest(p, 6, nil)
	want := []int{2, 4, 0, 1, 5, 3} // 0.1 deg east and west tie; 0.1 deg north is farther
	if !slices.Equal(got, want) {
		t.Errorf("KNearest = %v, want %v", got, want)
	}

	// Many identical points: every one ties.
	p = orb.Point{116.4, 39.9}
	same := make([]orb.Point, 50)
	for i := range same {
		same[i] = p
	}
	ix = NewIndex(same)
	if i, _ := ix.Nearest(orb.Point{0, 0}); i != 0 {
		t.Errorf("Nearest among identical points = %d, want 0", i)
	}
	if got := ix.KNearest(orb.Point{0, 0}, 3, nil); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("KNearest among identical points = %v, want [0 1 2]", got)
	}
}

func TestIndexEmpty(t *testing.T) {
	ix := NewIndex(nil)
	if ix.Len() != 0 {
		t.Errorf("Len() = %d, want 0", ix.Len())
	}
	if i, d := ix.Nearest(orb.Point{116.4, 39.9}); i != -1 || d != 0 {
		t.Errorf("Nearest on empty index = (%d, %v), want (-1, 0)", i, d)
	}
	buf := []int{7, 8}
	if got := ix.KNearest(orb.Point{116.4, 39.9}, 3, buf); len(got) != 0 {
		t.Errorf("KNearest on empty index = %v, want []", got)
	}
}

func TestIndexNaNQuery(t *testing.T) {
	ix := NewIndex([]orb.Point{{116.4, 39.9}, {116.5, 39.9}})
	if i, _ := ix.Nearest(orb.Point{math.NaN(), 39.9}); i != -1 {
		t.Errorf("Nearest(NaN) = %d, want -1", i)
	}
	if got := ix.KNearest(orb.Point{math.NaN(), 39.9}, 2, nil); len(got) != 2 {
		t.Errorf("KNearest(NaN) returned %d indices, want 2", len(got))
	}
}

func TestIndexCopiesInput(t *testing.T) {
	pts := []orb.Point{{116.4, 39.9}, {121.5, 31.2}}
	ix := NewIndex(pts)
	pts[0] = orb.Point{0, 0}
	if i, d := ix.Nearest(orb.Point{116.4, 39.9}); i != 0 || d != 0 {
		t.Errorf("after caller changed pts: Nearest = (%d, %v), want (0, 0)", i, d)
	}
}

func TestIndexAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	ix := NewIndex(beijingPoints(rng, 300))
	queries := beijingPoints(rng, 64)
	n := 0
	if a := testing.AllocsPerRun(100, func() {
		ix.Nearest(queries[n%len(queries)])
		n++
	}); a != 0 {
		t.Errorf("Nearest allocates %v times per call, want 0", a)
	}
	buf := make([]int, 0, 10)
	if a := testing.AllocsPerRun(100, func() {
		buf = ix.KNearest(queries[n%len(queries)], 10, buf)
		n++
	}); a != 0 {
		t.Errorf("KNearest with a large enough buf allocates %v times per call, want 0", a)
	}
}

func BenchmarkIndexNearest(b *testing.B) {
	for _, n := range []int{40, 300, 10000} {
		b.Run(fmt.Sprintf("stations=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(5, 5))
			ix := NewIndex(beijingPoints(rng, n))
			queries := beijingPoints(rng, 1024)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ix.Nearest(queries[i&1023])
				i++
			}
		})
	}
}

func BenchmarkIndexKNearest10(b *testing.B) {
	rng := rand.New(rand.NewPCG(6, 6))
	ix := NewIndex(beijingPoints(rng, 300))
	queries := beijingPoints(rng, 1024)
	buf := make([]int, 0, 10)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		buf = ix.KNearest(queries[i&1023], 10, buf)
		i++
	}
}

func BenchmarkNewIndex(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 7))
	pts := beijingPoints(rng, 10000)
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(pts)
	}
}

func TestConcurrentReaders(t *testing.T) {
	// Index and Zone promise concurrent reads; run under -race to check.
	rng := rand.New(rand.NewPCG(8, 8))
	ix := NewIndex(beijingPoints(rng, 300))
	zones := readBeijing(t)
	want := make([]int, 0, 200)
	queries := beijingPoints(rng, 200)
	for _, q := range queries {
		i, _ := ix.Nearest(q)
		want = append(want, i)
	}
	done := make(chan error)
	for g := range 4 {
		go func() {
			rng := rand.New(rand.NewPCG(9, uint64(g))) // one stream per goroutine
			var buf []int
			for j, q := range queries {
				if i, _ := ix.Nearest(q); i != want[j] {
					done <- fmt.Errorf("goroutine %d: Nearest(%v) = %d, want %d", g, q, i, want[j])
					return
				}
				buf = ix.KNearest(q, 3, buf)
				z := &zones[j%len(zones)]
				if p := z.SampleUniform(rng); !z.Contains(p) {
					done <- fmt.Errorf("goroutine %d: sample %v outside zone %d", g, p, j%len(zones))
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
