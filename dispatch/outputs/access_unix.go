//go:build unix

package outputs

import "syscall"

// writable reports whether the process may open path for writing.
func writable(path string) error {
	return syscall.Access(path, 2) // W_OK
}
