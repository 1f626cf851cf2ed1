package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
)

// bar draws pct (0-100) as a bar of width cells.
func bar(pct float64, width int) string {
	full := int(math.Round(pct / 100 * float64(width)))
	full = max(0, min(width, full))
	return "[" + strings.Repeat("#", full) + strings.Repeat("-", width-full) + "]"
}

// startProgress returns a progress callback for dispatch.Options that draws one status line with a bar of
// finished orders per policy on stderr, when stderr is a terminal (in pipes and CI it draws nothing), and
// a stop that clears the line.
func startProgress(stderr io.Writer, policies []string) (progress func(policy string, done, total int64), stop func()) {
	f, ok := stderr.(*os.File)
	if !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return nil, func() {}
	}
	var mu sync.Mutex
	pct := map[string]float64{}
	start := time.Now()
	drawn := false
	progress = func(policy string, done, total int64) {
		mu.Lock()
		defer mu.Unlock()
		if total > 0 {
			pct[policy] = 100 * float64(done) / float64(total)
		}
		parts := make([]string, len(policies))
		for i, p := range policies {
			parts[i] = fmt.Sprintf("%s %s %3.0f%%", p, bar(pct[p], 20), pct[p])
		}
		fmt.Fprintf(f, "\r\033[Ksimulating: %s  %s", strings.Join(parts, "  "), time.Since(start).Round(time.Second))
		drawn = true
	}
	return progress, func() {
		mu.Lock()
		defer mu.Unlock()
		if drawn {
			fmt.Fprint(f, "\r\033[K")
		}
	}
}
