package report

import (
	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// Sample is the subset of a comparison's orders that a sampled map draws: the same orders for every policy,
// so maps of different policies stay comparable. A nil *Sample keeps every order.
//
// An order is in the sample when a hash of the run's seed and its id is among the n smallest of the
// simulated day's orders (warm-up orders are never drawn). The hash does not follow the order of ids,
// creation times or places, so the sample is spread over the city and the day like the orders themselves,
// and the same seed gives the same sample.
type Sample struct {
	orders    []sim.Order
	salt      uint64
	threshold uint64 // an order is sampled when its key is at most this
	size      int
}

// NewSample draws n of c's day orders. It returns nil, meaning every order, when n <= 0 or the day has at
// most n orders.
func NewSample(c *dispatch.Comparison, n int) *Sample {
	if n <= 0 {
		return nil
	}
	day := 0
	for i := range c.Orders {
		if !c.Orders[i].Warmup {
			day++
		}
	}
	if day <= n {
		return nil
	}
	s := &Sample{orders: c.Orders, salt: mix64(c.Seed ^ sampleSalt), size: n}
	// The n smallest keys, kept in a max-heap: memory grows with n, not with the number of orders.
	h := make(maxHeap, 0, n)
	for i := range c.Orders {
		if c.Orders[i].Warmup {
			continue
		}
		k := s.key(int32(i))
		switch {
		case len(h) < n:
			h.push(k)
		case k < h[0]:
			h.replaceTop(k)
		}
	}
	s.threshold = h[0]
	return s
}

// sampleSalt separates the sample's hash from other uses of the run's seed.
const sampleSalt = 0x6d61702d73616d70 // "map-samp"

// key is the order's position in the seeded random order of the sample. For a given seed it is a bijection
// of the id, so no two orders tie.
func (s *Sample) key(id int32) uint64 { return mix64(s.salt + uint64(uint32(id))) }

// mix64 is a bijective 64-bit mixer (the finaliser of the SplitMix64 generator): every input bit affects
// every output bit.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Size is the number of orders in the sample; 0 for a nil sample (every order).
func (s *Sample) Size() int {
	if s == nil {
		return 0
	}
	return s.size
}

// Order reports whether the order with this id (an index into the comparison's orders) is drawn: a day
// order in the sample, or any day order for a nil sample.
func (s *Sample) Order(id int32) bool {
	if s == nil {
		return true
	}
	return !s.orders[id].Warmup && s.key(id) <= s.threshold
}

// Route reports whether a route is drawn: it serves at least one sampled order. For a nil sample that is
// every route that serves at least one of the simulated day's orders.
func (s *Sample) Route(c *dispatch.Comparison, r *sim.RouteRecord) bool {
	for _, id := range r.Stops {
		if !c.Orders[id].Warmup && s.Order(id) {
			return true
		}
	}
	return false
}

// maxHeap is a binary max-heap of keys.
type maxHeap []uint64

func (h *maxHeap) push(k uint64) {
	*h = append(*h, k)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if a[p] >= a[i] {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

// replaceTop replaces the largest key with k and restores the heap.
func (h maxHeap) replaceTop(k uint64) {
	h[0] = k
	for i := 0; ; {
		l, big := 2*i+1, i
		if l < len(h) && h[l] > h[big] {
			big = l
		}
		if r := l + 1; r < len(h) && h[r] > h[big] {
			big = r
		}
		if big == i {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}
