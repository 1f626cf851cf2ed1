package outputs

import (
	"errors"
	"fmt"
)

// ErrPath is wrapped by every error Add and Input return for a path that
// cannot be used: a command line maps it to a usage error (exit status 2).
var ErrPath = errors.New("outputs: unusable path")

// PathError describes a refused path in one sentence: the flag, the path,
// what was expected and what was found.
type PathError struct {
	Flag     string // e.g. "--json", or the input's description
	Path     string // as given
	Expected string
	Found    string
}

// Error returns "FLAG PATH: expected EXPECTED, found FOUND".
func (e *PathError) Error() string {
	return fmt.Sprintf("%s %s: expected %s, found %s", e.Flag, e.Path, e.Expected, e.Found)
}

// Is reports whether target is ErrPath.
func (e *PathError) Is(target error) bool { return target == ErrPath }
