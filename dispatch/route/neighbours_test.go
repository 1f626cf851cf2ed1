package route

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestBestHeap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{0, 1, 5, 40} {
		h := newBest(k)
		type entry struct {
			key float64
			id  int32
		}
		var all []entry
		for id := range int32(100) {
			all = append(all, entry{float64(r.IntN(20)), id})
		}
		// Pushed in random order, kept by (key, id).
		for _, i := range r.Perm(len(all)) {
			if e := all[i]; h.admitsID(e.key, e.id) {
				h.push(e.id, e.key)
			}
		}
		slices.SortStableFunc(all, func(a, b entry) int {
			switch {
			case a.key < b.key:
				return -1
			case a.key > b.key:
				return 1
			}
			return 0
		})
		got := h.sorted(nil)
		if len(got) != k {
			t.Fatalf("k=%d: got %d ids", k, len(got))
		}
		for i, id := range got {
			if all[i].id != id {
				t.Fatalf("k=%d: position %d: got id %d, want %d", k, i, id, all[i].id)
			}
		}
	}
}

// TestNeighboursExact compares the pivot search of buildNeighbours with a full
// scan of every row, on Euclidean matrices (random, clustered with float32
// rounding, and with many jobs at one location).
func TestNeighboursExact(t *testing.T) {
	dup := randomProblem(5, 300, 10)
	for i := range dup.Jobs {
		if i%3 == 0 {
			dup.Jobs[i].Loc = 1 + i%7
		}
	}
	for _, p := range []*Problem{randomProblem(1, 5, 2), randomProblem(2, 700, 30), waveProblem(3, 900), dup} {
		s := newSolver(p, Options{})
		n := s.n
		type entry struct {
			key float64
			id  int32
		}
		cmp := func(a, b entry) int {
			switch {
			case a.key < b.key:
				return -1
			case a.key > b.key:
				return 1
			}
			return int(a.id - b.id)
		}
		for u := range n {
			var byDist, byRel []entry
			a := &p.Jobs[u]
			for v := range n {
				if v == u {
					continue
				}
				b := &p.Jobs[v]
				d, tt := p.Matrix.Dist(a.Loc, b.Loc), p.Matrix.Time(a.Loc, b.Loc)
				ab := 0.2*max(b.Ready-a.Service-tt-a.Due, 0) + max(a.Ready+a.Service+tt-b.Due, 0)
				ba := 0.2*max(a.Ready-b.Service-tt-b.Due, 0) + max(b.Ready+b.Service+tt-a.Due, 0)
				byDist = append(byDist, entry{d, int32(v)})
				byRel = append(byRel, entry{d + min(ab, ba), int32(v)})
			}
			slices.SortFunc(byDist, cmp)
			slices.SortFunc(byRel, cmp)
			for i, w := range s.near[u] {
				if byDist[i].id != w {
					t.Fatalf("n=%d job %d: near[%d] = %d, want %d", n, u, i, w, byDist[i].id)
				}
			}
			for i, w := range s.gran[u] {
				if byRel[i].id != w {
					t.Fatalf("n=%d job %d: gran[%d] = %d, want %d", n, u, i, w, byRel[i].id)
				}
			}
			if len(s.near[u]) != min(nearSize, n-1) || len(s.gran[u]) != min(granSize, n-1) {
				t.Fatalf("n=%d job %d: %d near, %d gran", n, u, len(s.near[u]), len(s.gran[u]))
			}
		}
	}
}

// randMatrix is an asymmetric matrix of random entries that ignores the
// triangle inequality.
type randMatrix struct {
	n int
	d []float64
}

func (m *randMatrix) Dist(i, j int) float64 { return m.d[i*m.n+j] }
func (m *randMatrix) Time(i, j int) float64 { return m.d[i*m.n+j] / 2 }
func (m *randMatrix) Len() int              { return m.n }

// TestNeighboursAnyMatrix checks that the neighbour lists stay well formed
// (full length, no job itself, no repeats) and solutions feasible on a
// matrix that is neither symmetric nor metric and on one where every job
// is at the depot.
func TestNeighboursAnyMatrix(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	n := 300
	rm := &randMatrix{n: n + 1, d: make([]float64, (n+1)*(n+1))}
	for i := range rm.d {
		if i/(n+1) != i%(n+1) {
			rm.d[i] = 1 + r.Float64()*100
		}
	}
	random := randomProblem(4, n, 20)
	random.Matrix = rm
	same := randomProblem(5, 200, 10)
	for i := range same.Jobs {
		same.Jobs[i].Loc = 0
	}
	for _, p := range []*Problem{random, same} {
		s := newSolver(p, Options{})
		for u := range s.n {
			for _, list := range [][]int32{s.near[u], s.gran[u]} {
				seen := map[int32]bool{}
				for _, w := range list {
					if int(w) == u || seen[w] {
						t.Fatalf("job %d: list %v has itself or a repeat", u, list)
					}
					seen[w] = true
				}
			}
			if len(s.near[u]) != min(nearSize, s.n-1) || len(s.gran[u]) != min(granSize, s.n-1) {
				t.Fatalf("job %d: %d near, %d gran", u, len(s.near[u]), len(s.gran[u]))
			}
		}
		for _, minVeh := range []bool{false, true} {
			for seed := uint64(1); seed <= 3; seed++ {
				sol, err := Solve(context.Background(), p, Options{Iterations: 1000, Seed: seed, MinimizeVehicles: minVeh})
				if err != nil {
					t.Fatal(err)
				}
				if err := Check(p, sol); err != nil {
					t.Fatalf("seed %d, MinimizeVehicles %v: %v", seed, minVeh, err)
				}
			}
		}
	}
}
