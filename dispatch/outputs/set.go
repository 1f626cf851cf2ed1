package outputs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// kind says how an output is written.
type kind int

const (
	viaTemp kind = iota // a temporary file renamed onto target by Commit
	through             // target opened and written directly
	stdout              // the Set's standard output
)

// Set is the output files of one run; the zero value is not usable, use New.
type Set struct {
	stdout io.Writer

	mu        sync.Mutex
	inputs    []*entry
	outs      []*output
	seq       int // numbers the temporary files
	scratch   []*scratch
	committed bool
	aborted   bool
}

// entry is a registered path and what it resolves to.
type entry struct {
	path, flag string
	abs        string      // absolute and clean
	canon      string      // abs with symbolic links resolved as far as they exist
	info       fs.FileInfo // of canon, nil when nothing is there
}

// output is a registered output and its state.
type output struct {
	entry
	kind   kind
	target string      // the file written or renamed onto: canon
	perm   fs.FileMode // of the temporary file
	temp   string      // the temporary file's path, "" when none
	f      *os.File    // open temporary or write-through file
	opened bool
	closed bool
	moved  bool // renamed into place
}

// New returns an empty set whose "-" output writes to stdout; New does not close stdout.
func New(stdout io.Writer) *Set {
	return &Set{stdout: stdout}
}

// Input registers an input file (what describes it, e.g. "--scenario"), so
// that no output may be it. "-" (standard input) and paths that do not exist
// are registered too but cannot clash with a file. Input fails, wrapping
// ErrPath, when the path is an output already added.
func (s *Set) Input(path, what string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if path == "-" {
		return nil
	}
	e, err := resolve(path, what)
	if err != nil {
		return err
	}
	for _, o := range s.outs {
		if o.kind != stdout && same(&o.entry, e) {
			return &PathError{Flag: what, Path: path, Expected: "an input that is no output", Found: "the output of " + o.flag}
		}
	}
	s.inputs = append(s.inputs, e)
	return nil
}

// Add registers the output path of flag and checks it at once (see the
// package documentation); the error wraps ErrPath. Create and WriteFile
// take the same path string.
func (s *Set) Add(path, flag string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	refuse := func(expected, found string) error {
		return &PathError{Flag: flag, Path: path, Expected: expected, Found: found}
	}
	if path == "" {
		return refuse("a file path or -", "an empty path")
	}
	for _, o := range s.outs {
		if o.path == path {
			return refuse("a path no other output has", "the output of "+o.flag)
		}
	}
	if path == "-" {
		s.outs = append(s.outs, &output{entry: entry{path: path, flag: flag}, kind: stdout})
		return nil
	}
	e, err := resolve(path, flag)
	if err != nil {
		return err
	}
	for _, in := range s.inputs {
		if same(in, e) {
			return refuse("a file that is no input", "the input "+in.flag+" "+in.path)
		}
	}
	for _, o := range s.outs {
		if o.kind != stdout && same(&o.entry, e) {
			return refuse("a file no other output writes", "the output of "+o.flag+" "+o.path)
		}
	}
	o := &output{entry: *e, target: e.canon, perm: 0o666}
	switch {
	case e.info == nil:
	case e.info.IsDir():
		return refuse("a file", "a folder")
	case viaProc(e.abs):
		// /dev/stdout and the like name a file the process has open:
		// written where it is, even when that is a regular file.
		o.kind, o.target = through, e.abs
	case e.info.Mode().IsRegular():
		o.perm = e.info.Mode().Perm()
	default:
		o.kind = through
		if err := writable(e.canon); err != nil {
			return refuse("a file this process may write", describe(err))
		}
	}
	if o.kind == viaTemp {
		dir := filepath.Dir(o.target)
		switch st, err := os.Stat(dir); {
		case errors.Is(err, fs.ErrNotExist):
			return refuse("an existing folder "+dir, "none")
		case err != nil:
			return refuse("a readable folder "+dir, describe(err))
		case !st.IsDir():
			return refuse(dir+" to be a folder", "a file")
		}
		// The probe: a temporary file of the kind Create makes, removed at once.
		f, name, err := s.createTemp(o.target, 0o600)
		if err != nil {
			return refuse("a folder "+dir+" where a file can be created", describe(err))
		}
		f.Close()
		os.Remove(name)
	}
	s.outs = append(s.outs, o)
	return nil
}

// resolve makes the entry of path: its absolute form with symbolic links
// resolved as far as they exist, and the file found there.
func resolve(path, flag string) (*entry, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &PathError{Flag: flag, Path: path, Expected: "a path", Found: describe(err)}
	}
	e := &entry{path: path, flag: flag, abs: abs, canon: abs}
	if c, err := filepath.EvalSymlinks(abs); err == nil {
		e.canon = c
	} else if l, lerr := os.Readlink(abs); lerr == nil {
		// A link to nothing yet: the file will be created where it points.
		if !filepath.IsAbs(l) {
			l = filepath.Join(filepath.Dir(abs), l)
		}
		e.canon = canonDir(l)
	} else {
		e.canon = canonDir(abs)
	}
	if info, err := os.Stat(e.canon); err == nil {
		e.info = info
	}
	return e, nil
}

// canonDir resolves the symbolic links of path's folder, when it exists.
func canonDir(path string) string {
	if d, err := filepath.EvalSymlinks(filepath.Dir(path)); err == nil {
		return filepath.Join(d, filepath.Base(path))
	}
	return filepath.Clean(path)
}

// same reports whether two entries are the same file: by os.SameFile when
// both exist, else by resolved path.
func same(a, b *entry) bool {
	if a.info != nil && b.info != nil {
		return os.SameFile(a.info, b.info)
	}
	return a.canon == b.canon
}

// describe turns a file system error into the "found" part of a sentence.
func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error()
}

// viaProc reports whether the symbolic links of path (its last element) lead
// through /proc or /dev/fd, as /dev/stdout's do: such a path names a file the
// process has open, which must be written in place, not replaced.
func viaProc(path string) bool {
	for range 40 { // as many links as Linux follows
		if strings.HasPrefix(path, "/proc/") || strings.HasPrefix(path, "/dev/fd/") {
			return true
		}
		l, err := os.Readlink(path)
		if err != nil {
			return false
		}
		if !filepath.IsAbs(l) {
			l = filepath.Join(filepath.Dir(path), l)
		}
		path = l
	}
	return false
}
