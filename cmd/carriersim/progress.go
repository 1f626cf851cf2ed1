package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/carriersim/carriersim/dispatch"
)

// bar draws pct (0-100) as a bar of width cells.
func bar(pct float64, width int) string {
	full := int(math.Round(pct / 100 * float64(width)))
	full = max(0, min(width, full))
	return "[" + strings.Repeat("#", full) + strings.Repeat("-", width-full) + "]"
}

// startProgress shows one status line with a progress bar of finished orders per policy on stderr, redrawn
// four times a second, when stderr is a terminal; in pipes and CI it shows nothing. The returned stop clears the line.
func startProgress(ctx context.Context, stderr io.Writer, policies []string) (context.Context, func()) {
	f, ok := stderr.(*os.File)
	if !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return ctx, func() {}
	}
	byPolicy := map[string]*dispatch.Progress{}
	for _, p := range policies {
		byPolicy[p] = &dispatch.Progress{}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(f, "\r\033[K")
				return
			case <-tick.C:
				var parts []string
				for _, p := range policies {
					d, t := byPolicy[p].Done()
					pct := 0.0
					if t > 0 {
						pct = 100 * float64(d) / float64(t)
					}
					parts = append(parts, fmt.Sprintf("%s %s %3.0f%%", p, bar(pct, 20), pct))
				}
				fmt.Fprintf(f, "\r\033[Ksimulating: %s  %s", strings.Join(parts, "  "), time.Since(start).Round(time.Second))
			}
		}
	}()
	return dispatch.WithProgress(ctx, byPolicy), func() { close(done); <-finished }
}
