package main

import (
	"bytes"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// peakProfiler keeps the heap profile taken when the live heap was largest, so -memprofile shows what a run
// holds at its peak rather than at its end, when most of it is gone. It samples the heap live after the
// last collection every interval and profiles again whenever that grew by a twentieth over the last
// profile's.
type peakProfiler struct {
	stop chan struct{}
	done chan struct{}
	best []byte // the profile at the largest live heap seen
	live uint64 // that heap's size
}

func startPeakProfiler(interval time.Duration) *peakProfiler {
	p := &peakProfiler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				continue
			}
			if live := sample[0].Value.Uint64(); live > p.live+p.live/20 {
				var buf bytes.Buffer
				if pprof.Lookup("heap").WriteTo(&buf, 0) == nil {
					p.best, p.live = buf.Bytes(), live
				}
			}
		}
	}()
	return p
}

// finish stops sampling and writes the peak profile to path (nothing when no sample was taken).
func (p *peakProfiler) finish(path string) error {
	close(p.stop)
	<-p.done
	if p.best == nil {
		return nil
	}
	return os.WriteFile(path, p.best, 0o644)
}
