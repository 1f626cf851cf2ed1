package route

import (
	"context"
	"time"
)

// budget is the one deadline of a Solve call: its context and, with a time
// limit, the time the search must stop. Every phase asks it between units of
// work (a job inserted, a job's moves tried, a pool step, an iteration), so
// none runs past the deadline by more than one such unit.
type budget struct {
	ctx   context.Context
	at    time.Time // zero: no time limit
	spent bool      // sticky: once expired, always expired
}

// expired reports whether the context is done or the deadline has passed.
// Without a time limit it never reads the clock, so a search bounded by
// iterations does the same work whatever the machine's speed.
func (b *budget) expired() bool {
	if b.spent {
		return true
	}
	if b.ctx != nil && b.ctx.Err() != nil || !b.at.IsZero() && !time.Now().Before(b.at) {
		b.spent = true
	}
	return b.spent
}
