// Package outputs owns the output files of one run and commits them all or
// nothing: a failed or interrupted run leaves every previous file exactly as
// it was and no temporary file behind.
//
// # Checks before the run
//
// A program registers its input files with Set.Input and each output path
// with Set.Add as soon as it has parsed its flags, before any work. Add
// refuses, with an error naming the flag and the path that wraps ErrPath:
// an empty path; a folder; a path whose folder does not exist, is not a
// folder or has no room for a new file (Add creates and removes a temporary
// file there); a path that is one of the inputs or another output, compared
// by os.SameFile for existing files and otherwise by absolute path with
// symbolic links resolved; and a second "-".
//
// # Kinds of output
//
//   - "-" is the standard output given to New; at most one output may be "-".
//   - A path to a regular file, or to nothing yet, is written to a temporary
//     file ".NAME.tmpDIGITS" in the same folder, created exclusively, with the
//     existing file's permissions, else 0666 less the umask (as os.Create
//     would). Commit renames it onto the path.
//   - A symbolic link to a regular file is followed: the temporary file sits
//     next to the link's final target and is renamed onto that target, so the
//     link stays a link.
//   - Anything else that exists and is not a folder (a character device such
//     as /dev/null or /dev/stdout, a FIFO) is written through: opened and
//     written directly, never replaced. Such outputs, like "-", cannot be
//     taken back: what was written stays written.
//
// # Commit and Abort
//
// Set.Create opens an output for writing; Close syncs a temporary file to
// disk. Set.Commit renames every temporary file into place once all are
// closed, then syncs their folders. Each rename is atomic; the renames of a
// set are not atomic together, but they are in folders already checked, so
// one fails only when the file system does (Commit then reports which
// outputs were committed and removes the other temporary files).
//
// Set.Abort removes every temporary file that was not committed. It is
// idempotent, does nothing after Commit, and may run while another goroutine
// is still writing an output: it closes the file under the writer, whose
// next Write fails. A program that stops on SIGINT or SIGTERM cancels a
// context (signal.NotifyContext), lets the run return with an error and has
// deferred Abort, so no temporary file outlives the process:
//
//	set := outputs.New(stdout)
//	defer set.Abort()
//	if err := set.Add(jsonPath, "--json"); err != nil { ... exit 2 }
//	... run with ctx, write with set.Create or set.WriteFile ...
//	return set.Commit()
//
// # Scratch files
//
// Set.Scratch makes a file a program writes and reads back while it makes an
// output (parts written as a run goes, joined at the end), never committed:
// next to the output, unlinked at once where the system allows it, closed by
// Commit and Abort.
//
// # Concurrency
//
// The methods of a Set may be called from several goroutines; each output's
// writer is for one goroutine.
package outputs
