package outputs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// errAborted is returned by the writers of a Set after Abort.
var errAborted = errors.New("outputs: the run's outputs were aborted")

// maxTempTries bounds the names createTemp tries before it gives up.
const maxTempTries = 10000

// createTemp creates, exclusively, a new temporary file ".BASE.tmpDIGITS"
// next to target with permissions perm less the umask. s.mu must be held.
func (s *Set) createTemp(target string, perm fs.FileMode) (*os.File, string, error) {
	dir, base := filepath.Split(target)
	for range maxTempTries {
		s.seq++
		name := filepath.Join(dir, fmt.Sprintf(".%s.tmp%d%03d", base, os.Getpid(), s.seq))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", fmt.Errorf("outputs: no free temporary file name next to %s", target)
}

// find returns the output added with path, or nil.
func (s *Set) find(path string) *output {
	for _, o := range s.outs {
		if o.path == path {
			return o
		}
	}
	return nil
}

// Create opens the output added with path for writing: a new temporary file,
// the file itself when it is written through, or the standard output for
// "-". Each output is created at most once; Close must be called (it syncs a
// temporary file) before Commit. Create fails after Commit or Abort.
func (s *Set) Create(path string) (io.WriteCloser, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.find(path)
	switch {
	case s.committed || s.aborted:
		return nil, fmt.Errorf("outputs: create %s after the outputs were committed or aborted", path)
	case o == nil:
		return nil, fmt.Errorf("outputs: create %s: not added", path)
	case o.opened:
		return nil, fmt.Errorf("outputs: create %s: created already", path)
	}
	o.opened = true
	switch o.kind {
	case stdout:
		return &writer{s: s, o: o, w: s.stdout}, nil
	case through:
		// Appending: /dev/stdout redirected to a file keeps what was written before.
		f, err := os.OpenFile(o.target, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return nil, fmt.Errorf("outputs: %s %s: %w", o.flag, o.path, err)
		}
		o.f = f
	default:
		f, name, err := s.createTemp(o.target, o.perm)
		if err == nil && o.info != nil {
			err = f.Chmod(o.perm) // exactly the replaced file's, whatever the umask
		}
		if err != nil {
			if f != nil {
				f.Close()
				os.Remove(name)
			}
			return nil, fmt.Errorf("outputs: %s %s: %w", o.flag, o.path, err)
		}
		o.f, o.temp = f, name
	}
	return &writer{s: s, o: o, w: o.f}, nil
}

// WriteFile creates the output added with path, lets write fill it through a
// buffer and closes it. On an error the output stays uncommitted; Abort
// removes it.
func (s *Set) WriteFile(path string, write func(io.Writer) error) error {
	w, err := s.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// scratch is a file Scratch made.
type scratch struct {
	f    *os.File
	name string // "" once removed
}

// Scratch creates a scratch file for the output added with path: a file a program writes and reads back
// while it makes the output (parts of it written as a run goes, joined at the end), never committed. It is
// created like a temporary file of the output, next to its file (in os.TempDir() for "-" and written-through
// outputs), so it is on the disk the output goes to. Where the system allows it (Unix) it is unlinked at
// once: it has no name and disappears when closed or when the process ends, however it ends. Commit and
// Abort close every scratch file (Abort first, so a writer still using one fails) and remove any left.
func (s *Set) Scratch(path string) (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.find(path)
	switch {
	case s.committed || s.aborted:
		return nil, fmt.Errorf("outputs: scratch for %s after the outputs were committed or aborted", path)
	case o == nil:
		return nil, fmt.Errorf("outputs: scratch for %s: not added", path)
	}
	target := o.target
	if o.kind != viaTemp {
		target = filepath.Join(os.TempDir(), "carriersim")
	}
	f, name, err := s.createTemp(target, 0o600)
	if err != nil {
		return nil, fmt.Errorf("outputs: scratch for %s %s: %w", o.flag, o.path, err)
	}
	sc := &scratch{f: f, name: name}
	if os.Remove(name) == nil {
		sc.name = ""
	}
	s.scratch = append(s.scratch, sc)
	return f, nil
}

// closeScratch closes every scratch file and removes those still named; s.mu must be held.
func (s *Set) closeScratch() {
	for _, sc := range s.scratch {
		sc.f.Close()
		if sc.name != "" {
			os.Remove(sc.name)
		}
	}
	s.scratch = nil
}

// Commit renames every temporary file onto its path, then syncs the folders,
// and closes the scratch files. Every created output must be closed first,
// else Commit commits nothing and fails. Outputs added but never created are left as they were. Commit after
// Commit does nothing; after Abort it fails.
func (s *Set) Commit() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.aborted:
		return errAborted
	case s.committed:
		return nil
	}
	for _, o := range s.outs {
		if o.opened && !o.closed {
			return fmt.Errorf("outputs: commit: %s %s is still open", o.flag, o.path)
		}
	}
	s.committed = true
	s.closeScratch()
	var done []string
	dirs := map[string]bool{}
	for _, o := range s.outs {
		if o.temp == "" {
			continue
		}
		if err := os.Rename(o.temp, o.target); err != nil {
			s.removeTemps()
			committed := "none"
			if len(done) > 0 {
				committed = strings.Join(done, ", ")
			}
			return fmt.Errorf("outputs: commit %s %s: %w (outputs already in place: %s)", o.flag, o.path, err, committed)
		}
		o.temp = ""
		done = append(done, o.flag+" "+o.path)
		dirs[filepath.Dir(o.target)] = true
	}
	for dir := range dirs {
		if err := syncDir(dir); err != nil {
			return fmt.Errorf("outputs: commit: %w", err)
		}
	}
	return nil
}

// syncDir makes the renames in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Abort closes every output still open and removes every temporary file not
// committed. It is idempotent, does nothing after Commit, and may run while
// writers are still writing: their next Write or Close fails.
func (s *Set) Abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.committed {
		return
	}
	s.aborted = true
	s.closeScratch()
	for _, o := range s.outs {
		if o.f != nil && !o.closed {
			o.f.Close()
			o.closed = true
		}
	}
	s.removeTemps()
}

// removeTemps removes the temporary files left; s.mu must be held.
func (s *Set) removeTemps() {
	for _, o := range s.outs {
		if o.temp != "" {
			if o.f != nil && !o.closed {
				o.f.Close()
				o.closed = true
			}
			os.Remove(o.temp)
			o.temp = ""
		}
	}
}

// writer is what Create returns.
type writer struct {
	s *Set
	o *output
	w io.Writer
}

// Write writes to the output; after Abort it fails.
func (w *writer) Write(p []byte) (int, error) {
	return w.w.Write(p)
}

// Close syncs and closes a temporary file, closes a written-through file and
// leaves the standard output open. A second Close does nothing.
func (w *writer) Close() error {
	s, o := w.s, w.o
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.aborted:
		return errAborted
	case o.closed:
		return nil
	}
	o.closed = true
	if o.f == nil {
		return nil
	}
	var err error
	if o.kind == viaTemp {
		err = o.f.Sync()
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("outputs: %s %s: %w", o.flag, o.path, err)
	}
	return nil
}
