package main

import (
	"runtime/debug"
	"strings"
)

// buildVCS is the VCS revision the binary was built from and whether the tree had uncommitted changes;
// empty when the build did not record it (go run, go test, -buildvcs=false).
func buildVCS() (version, rev string, dirty bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown", "", false
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	return bi.Main.Version, rev, dirty
}

// version describes the build: the module version and, when go build recorded it, the commit, with
// "+dirty" for a tree with uncommitted changes.
func version() string {
	v, rev, _ := buildVCS()
	if c := commit(); c != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		v += " " + c[:min(12, len(rev))] + strings.TrimPrefix(c, rev)
	}
	return v
}

// commit is the VCS revision the binary was built from, "+dirty" appended for uncommitted changes.
func commit() string {
	_, rev, dirty := buildVCS()
	if rev == "" {
		return ""
	}
	if dirty {
		return rev + "+dirty"
	}
	return rev
}
