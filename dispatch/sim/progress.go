package sim

import "sync/atomic"

// Progress counts a run's orders that reached their final state, for a progress display. It is safe for
// concurrent use: the run adds, a display reads.
type Progress struct {
	done  atomic.Int64
	total atomic.Int64
}

// Done returns how many orders are final and how many there are.
func (p *Progress) Done() (done, total int64) { return p.done.Load(), p.total.Load() }

// Options tune how a run is carried out; no option changes its result.
type Options struct {
	// Workers bounds how many station-waves are routed at once (at least 1; 0 means GOMAXPROCS).
	Workers int
	// Progress, when not nil, counts the run's final orders as they happen.
	Progress *Progress
}
