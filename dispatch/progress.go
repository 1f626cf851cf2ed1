package dispatch

import (
	"context"
	"sync/atomic"
)

// Progress counts a run's orders that reached their final state, for a progress display. It is safe for
// concurrent use: the simulation adds, a display reads.
type Progress struct {
	done  atomic.Int64
	total atomic.Int64
}

// Done returns how many orders are final and how many there are.
func (p *Progress) Done() (done, total int64) { return p.done.Load(), p.total.Load() }

type progressKey struct{}

// WithProgress returns a context through which runs report progress, one counter per policy name.
func WithProgress(ctx context.Context, byPolicy map[string]*Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, byPolicy)
}

func progressFor(ctx context.Context, policy string) *Progress {
	if m, ok := ctx.Value(progressKey{}).(map[string]*Progress); ok {
		if p := m[policy]; p != nil {
			return p
		}
	}
	return &Progress{}
}
