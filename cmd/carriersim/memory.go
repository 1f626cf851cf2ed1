package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// parseBytes reads a memory size: a number with an optional unit B, KB, MB, GB, TB (powers of 1000) or
// KiB, MiB, GiB, TiB (powers of 1024); 0 means no limit.
func parseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   float64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
		{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	mult := 1.0
	for _, u := range units {
		if num, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(num), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || v*mult > 1<<62 {
		return 0, fmt.Errorf("expected a size such as 16GiB, 500MB or 0 (no limit), found %q", s)
	}
	return int64(v * mult), nil
}

// defaultMaxMemory is 90% of the machine's memory (MemTotal in /proc/meminfo), or 0 (no limit) where that
// cannot be read.
func defaultMaxMemory() string {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return "0"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return "0"
			}
			return fmt.Sprintf("%.1fGiB", 0.9*float64(kb)/(1<<20))
		}
	}
	return "0"
}
