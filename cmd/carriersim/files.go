package main

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch/outputs"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// files is one command's inputs and outputs: every output path is checked before any work, outputs are
// written to temporary files, and they replace earlier files only when the whole command succeeded.
type files struct {
	set  *outputs.Set
	stop func() bool
}

// newFiles registers the inputs (flag, path; empty paths and embedded scenario names are skipped) and
// checks the outputs (flag, path; empty paths are skipped), all before the command does any work. When
// ctx is cancelled (SIGINT, SIGTERM) the temporary files are removed at once, so a writer still running
// fails on its next write. Close must be deferred.
func newFiles(ctx context.Context, stdout io.Writer, inputs, outs [][2]string) (*files, error) {
	f := &files{set: outputs.New(stdout)}
	f.stop = context.AfterFunc(ctx, f.set.Abort)
	for _, in := range inputs {
		if in[1] == "" {
			continue
		}
		if _, embedded := scenario.EmbeddedJSON(in[1]); embedded && in[0] == "--scenario" {
			continue
		}
		if err := f.set.Input(in[1], in[0]); err != nil {
			f.Close()
			return nil, pathError(err)
		}
	}
	for _, out := range outs {
		if out[1] == "" {
			continue
		}
		if err := f.set.Add(out[1], out[0]); err != nil {
			f.Close()
			return nil, pathError(err)
		}
	}
	return f, nil
}

// write fills the output path (registered with newFiles) through write; it replaces the file on Commit.
func (f *files) write(path string, write func(io.Writer) error) error {
	if err := f.set.WriteFile(path, write); err != nil {
		return pathError(err)
	}
	return nil
}

// commit puts every output written in place.
func (f *files) commit() error { return f.set.Commit() }

// Close removes the temporary files of outputs not committed; earlier files stay as they were.
func (f *files) Close() {
	f.stop()
	f.set.Abort()
}

// pathError makes a refused output path bad usage (exit 2).
func pathError(err error) error {
	if errors.Is(err, outputs.ErrPath) {
		return usageError("%v", err)
	}
	return err
}

// flagPath is the (flag, path) pair of a string flag, for newFiles.
func flagPath(c *cli.Context, name string) [2]string { return [2]string{"--" + name, c.String(name)} }

// makeRunFolder makes the run folder dir if it does not exist (its parent must), and returns a function to
// defer that removes it again if it is still empty: a failed run leaves no folder it made behind.
func makeRunFolder(dir string) (func(), error) {
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return nil, usageError("--out %s: expected a folder, found a file", dir)
		}
		return func() {}, nil
	}
	if err := os.Mkdir(dir, 0o777); err != nil {
		return nil, usageError("--out %s: expected a folder or a new folder's name in an existing one: %v", dir, err)
	}
	return func() { os.Remove(dir) }, nil // fails, as it should, once files are in it
}
