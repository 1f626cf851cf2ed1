package outputs_test

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/carriersim/carriersim/dispatch/outputs"
)

// A run checks its output paths before any work and writes them all or
// nothing; here "." is refused (a command line exits 2 on ErrPath) and the
// CSV goes to the standard output.
func Example() {
	set := outputs.New(os.Stdout)
	defer set.Abort() // removes the temporary files of a failed or interrupted run
	if err := set.Add(".", "--json"); errors.Is(err, outputs.ErrPath) {
		fmt.Println(err)
	}
	if err := set.Add("-", "--csv"); err != nil {
		fmt.Println(err)
		return
	}
	// ... the simulation, stopped by a context cancelled on SIGINT or SIGTERM ...
	err := set.WriteFile("-", func(w io.Writer) error {
		_, err := fmt.Fprintln(w, "order,carrier")
		return err
	})
	if err == nil {
		err = set.Commit()
	}
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// --json .: expected a file, found a folder
	// order,carrier
}
