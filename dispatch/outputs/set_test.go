package outputs

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// folder returns a new temporary folder with the files named in files, each
// holding its own name.
func folder(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// names returns the names in dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// read returns the content of path.
func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// text returns a WriteFile function that writes content.
func text(content string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, content)
		return err
	}
}

// writeOne adds path to s, writes content to it and commits s.
func writeOne(t *testing.T, s *Set, path, content string) {
	t.Helper()
	if err := s.Add(path, "--out"); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile(path, text(content)); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestAddRefuses(t *testing.T) {
	dir := folder(t, "in.json", "orders.csv", "file")
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("in.json", filepath.Join(dir, "link-to-in")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".", filepath.Join(dir, "dirlink")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	tests := []struct {
		name, path, want string
	}{
		{"empty", "", "--out : expected a file path or -, found an empty path"},
		{"folder", "sub", "--out sub: expected a file, found a folder"},
		{"folder with slash", dir + "/sub/", "expected a file, found a folder"},
		{"missing folder", "nowhere/out.json", "--out nowhere/out.json: expected an existing folder " + filepath.Join(dir, "nowhere") + ", found none"},
		{"file for folder", "file/out.json", "--out file/out.json: expected " + filepath.Join(dir, "file") + " to be a folder, found a file"},
		{"the input", "in.json", "--out in.json: expected a file that is no input, found the input --scenario in.json"},
		{"the input by absolute path", filepath.Join(dir, "in.json"), "found the input --scenario in.json"},
		{"the input by a longer path", "sub/../in.json", "found the input --scenario in.json"},
		{"the input through a symlink", "link-to-in", "found the input --scenario in.json"},
		{"the input through a linked folder", "dirlink/orders.csv", "found the input --orders " + filepath.Join(dir, "orders.csv")},
		{"another output", "./a.json", "--out ./a.json: expected a file no other output writes, found the output of --json a.json"},
		{"the same string as another output", "a.json", "--out a.json: expected a path no other output has, found the output of --json"},
		{"a second stdout", "-", "--out -: expected a path no other output has, found the output of --csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(io.Discard)
			if err := s.Input("in.json", "--scenario"); err != nil {
				t.Fatal(err)
			}
			if err := s.Input(filepath.Join(dir, "orders.csv"), "--orders"); err != nil {
				t.Fatal(err)
			}
			if err := s.Add("a.json", "--json"); err != nil {
				t.Fatal(err)
			}
			if err := s.Add("-", "--csv"); err != nil {
				t.Fatal(err)
			}
			err := s.Add(tt.path, "--out")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Add(%q) = %v, want an error containing %q", tt.path, err, tt.want)
			}
			if !errors.Is(err, ErrPath) {
				t.Errorf("%v does not wrap ErrPath", err)
			}
		})
	}
	if got := names(t, dir); len(got) != 6 {
		t.Errorf("the checks left files behind: %v", got)
	}
}

func TestInputAfterOutput(t *testing.T) {
	dir := folder(t, "in.json")
	s := New(io.Discard)
	out := filepath.Join(dir, "in.json")
	if err := s.Add(out, "--json"); err != nil {
		t.Fatal(err)
	}
	err := s.Input(out, "--scenario")
	if !errors.Is(err, ErrPath) || !strings.Contains(err.Error(), "found the output of --json") {
		t.Fatalf("Input of an output = %v", err)
	}
}

func TestAddUnwritableFolder(t *testing.T) {
	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// Root may write a folder of mode 0555, not sysfs.
		ro = "/sys"
		if st, err := os.Stat(ro); err != nil || !st.IsDir() {
			t.Skip("running as root without /sys")
		}
	}
	err := New(io.Discard).Add(filepath.Join(ro, "out.json"), "--json")
	if !errors.Is(err, ErrPath) || !strings.Contains(err.Error(), "where a file can be created, found permission denied") {
		t.Fatalf("got %v", err)
	}
}

func TestCommitReplacesAll(t *testing.T) {
	dir := folder(t, "a.json", "b.geojson")
	s := New(io.Discard)
	a, b, c := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.geojson"), filepath.Join(dir, "new.csv")
	for i, p := range []string{a, b, c} {
		if err := s.Add(p, "--out"+string(rune('1'+i))); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{a, b, c} {
		if err := s.WriteFile(p, text("new "+filepath.Base(p))); err != nil {
			t.Fatal(err)
		}
	}
	if got := read(t, a); got != "a.json" {
		t.Errorf("before Commit a.json holds %q, want the previous content", got)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{a, b, c} {
		if got, want := read(t, p), "new "+filepath.Base(p); got != want {
			t.Errorf("%s holds %q, want %q", p, got, want)
		}
	}
	if got := names(t, dir); len(got) != 3 {
		t.Errorf("files after Commit: %v, want the three outputs only", got)
	}
	s.Abort() // after Commit: nothing
	if got := read(t, a); got != "new a.json" {
		t.Errorf("Abort after Commit changed a.json to %q", got)
	}
	if err := s.Commit(); err != nil {
		t.Errorf("second Commit = %v", err)
	}
}

func TestAbortKeepsPrevious(t *testing.T) {
	dir := folder(t, "a.json")
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	s := New(io.Discard)
	for _, p := range []string{a, b} {
		if err := s.Add(p, "--out"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.WriteFile(a, text("half")); err != nil {
		t.Fatal(err)
	}
	w, err := s.Create(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, "unfinished"); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err == nil || !strings.Contains(err.Error(), "still open") {
		t.Fatalf("Commit with an open output = %v", err)
	}
	s.Abort()
	s.Abort() // idempotent
	if got := read(t, a); got != "a.json" {
		t.Errorf("a.json holds %q after Abort, want its previous content", got)
	}
	if got := names(t, dir); len(got) != 1 || got[0] != "a.json" {
		t.Errorf("files after Abort: %v, want a.json only", got)
	}
	if _, err := w.Write([]byte("more")); err == nil {
		t.Error("Write after Abort succeeded")
	}
	if err := w.Close(); !errors.Is(err, errAborted) {
		t.Errorf("Close after Abort = %v", err)
	}
	if err := s.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	if _, err := s.Create(a); err == nil {
		t.Error("Create after Abort succeeded")
	}
}

// TestAbortUnderWriter aborts while another goroutine is writing, as a
// signal handler's cancellation does.
func TestAbortUnderWriter(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "big.json")
	s := New(io.Discard)
	if err := s.Add(out, "--json"); err != nil {
		t.Fatal(err)
	}
	started, done := make(chan struct{}), make(chan error)
	go func() {
		done <- s.WriteFile(out, func(w io.Writer) error {
			close(started)
			line := bytes.Repeat([]byte("x"), 1<<10)
			for {
				if _, err := w.Write(line); err != nil {
					return err
				}
			}
		})
	}()
	<-started
	s.Abort()
	if err := <-done; err == nil {
		t.Fatal("the writer did not fail after Abort")
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("files after Abort: %v, want none", got)
	}
}

func TestPermissions(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := folder(t, "private.json")
	if err := os.Chmod(filepath.Join(dir, "private.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := New(io.Discard)
	fresh, private := filepath.Join(dir, "fresh.json"), filepath.Join(dir, "private.json")
	for _, p := range []string{fresh, private} {
		if err := s.Add(p, "--out"); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteFile(p, func(io.Writer) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{fresh: 0o644, private: 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(p), got, want)
		}
	}
}

func TestSymlinkStaysLink(t *testing.T) {
	dir := folder(t, "target.json")
	if err := os.Mkdir(filepath.Join(dir, "links"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "links", "out.json")
	if err := os.Symlink("../target.json", link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "links", "later.json")
	if err := os.Symlink("../later-target.json", dangling); err != nil {
		t.Fatal(err)
	}
	s := New(io.Discard)
	for _, p := range []string{link, dangling} {
		if err := s.Add(p, "--out"); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteFile(p, text("via "+filepath.Base(p))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for p, target := range map[string]string{link: "target.json", dangling: "later-target.json"} {
		st, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link", p)
		}
		if got, want := read(t, filepath.Join(dir, target)), "via "+filepath.Base(p); got != want {
			t.Errorf("%s holds %q, want %q", target, got, want)
		}
	}
	if got := names(t, filepath.Join(dir, "links")); len(got) != 2 {
		t.Errorf("files next to the links: %v, want the two links", got)
	}
}

func TestDevNullWrittenThrough(t *testing.T) {
	before, err := os.Stat(os.DevNull)
	if err != nil || before.Mode()&os.ModeCharDevice == 0 {
		t.Skipf("no character device %s: %v", os.DevNull, err)
	}
	s := New(io.Discard)
	writeOne(t, s, os.DevNull, "discarded")
	after, err := os.Stat(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	if after.Mode()&os.ModeCharDevice == 0 || !os.SameFile(before, after) {
		t.Fatalf("%s was replaced: mode %v", os.DevNull, after.Mode())
	}
}

func TestFIFOWrittenThrough(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string)
	go func() {
		b, err := os.ReadFile(fifo)
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		got <- string(b)
	}()
	s := New(io.Discard)
	writeOne(t, s, fifo, "through the pipe")
	if g := <-got; g != "through the pipe" {
		t.Errorf("the reader got %q", g)
	}
	st, err := os.Lstat(fifo)
	if err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v, %v", st, err)
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("files: %v, want the FIFO only", got)
	}
}

func TestStdout(t *testing.T) {
	var buf bytes.Buffer
	s := New(&buf)
	if err := s.Add("-", "--json"); err != nil {
		t.Fatal(err)
	}
	w, err := s.Create("-")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "to stdout")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "to stdout" {
		t.Errorf("stdout got %q", buf.String())
	}
	if _, err := s.Create("-"); err == nil {
		t.Error("a second Create of - succeeded")
	}
}

func TestCreateUnknown(t *testing.T) {
	if _, err := New(io.Discard).Create("never-added.json"); err == nil || !strings.Contains(err.Error(), "not added") {
		t.Fatalf("got %v", err)
	}
}

// TestProcFdWrittenThrough writes to /proc/self/fd/N, as /dev/stdout is when
// the standard output is redirected to a regular file: the file is appended
// to in place, not replaced.
func TestProcFdWrittenThrough(t *testing.T) {
	dir := folder(t, "log.txt")
	log := filepath.Join(dir, "log.txt")
	f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	path := "/proc/self/fd/" + strconv.Itoa(int(f.Fd()))
	before, err := os.Stat(path)
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	s := New(io.Discard)
	writeOne(t, s, path, " and more")
	after, err := os.Stat(log)
	if err != nil || !os.SameFile(before, after) {
		t.Fatalf("log.txt was replaced (%v)", err)
	}
	if got := read(t, log); got != "log.txt and more" {
		t.Errorf("log.txt holds %q", got)
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("files: %v, want log.txt only", got)
	}
	if err := New(io.Discard).Add("/dev/stdout", "--json"); err != nil {
		t.Errorf("Add(/dev/stdout) = %v", err)
	}
}

// TestScratch makes scratch files for a file output and for "-": they can be written and read back, leave
// no name in any folder (they are unlinked at once on Unix), are closed by Commit and, under a writer, by
// Abort; an output not added has none.
func TestScratch(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "map.geojson")
	s := New(io.Discard)
	if err := s.Add(out, "--geojson"); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("-", "--json"); err != nil {
		t.Fatal(err)
	}
	f, err := s.Scratch(out)
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.Scratch("-")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("part"), 8); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := f.ReadAt(buf, 8); err != nil || string(buf) != "part" {
		t.Fatalf("read back %q, %v", buf, err)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("names beside the output: %v, want none (scratch files are unlinked)", got)
	}
	if _, err := s.Scratch(filepath.Join(dir, "other")); err == nil {
		t.Error("Scratch of an output not added: want an error")
	}
	if err := s.WriteFile(out, text("map")); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []*os.File{f, g} {
		if _, err := sc.Write([]byte("x")); err == nil {
			t.Error("write to a scratch file after Commit: want it closed")
		}
	}
	if got := names(t, dir); len(got) != 1 || got[0] != "map.geojson" {
		t.Errorf("files after Commit: %v, want map.geojson only", got)
	}
	if _, err := s.Scratch(out); err == nil {
		t.Error("Scratch after Commit: want an error")
	}

	// Abort closes a scratch file under its writer.
	s = New(io.Discard)
	if err := s.Add(out, "--geojson"); err != nil {
		t.Fatal(err)
	}
	if f, err = s.Scratch(out); err != nil {
		t.Fatal(err)
	}
	s.Abort()
	if _, err := f.Write([]byte("x")); err == nil {
		t.Error("write to a scratch file after Abort: want it closed")
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("files after Abort: %v, want the committed map only", got)
	}
}
