package solomon

import (
	"time"

	"github.com/carriersim/carriersim/dispatch/route"
)

// Result is a solution in the instance's own numbering: the solve JSON of docs/CONTRACT.md.
type Result struct {
	Instance  string  `json:"instance"`
	Customers int     `json:"customers"`
	Vehicles  int     `json:"vehicles"`
	Distance  float64 `json:"distance"`
	TimeMS    int64   `json:"time_ms"`
	// Routes list customer ids as numbered in the file; the depot (0) is implied at both ends.
	Routes [][]int `json:"routes"`
	// Unassigned lists the customer ids the solution left out, if any.
	Unassigned []int `json:"unassigned,omitempty"`
}

// Result describes sol, a solution of the instance's Problem found in elapsed wall time.
func (in *Instance) Result(sol *route.Solution, elapsed time.Duration) Result {
	res := Result{
		Instance:  in.Name,
		Customers: len(in.Customers),
		Vehicles:  len(sol.Routes),
		Distance:  sol.Distance,
		TimeMS:    elapsed.Milliseconds(),
		Routes:    in.Routes(sol),
	}
	for _, u := range sol.Unassigned {
		res.Unassigned = append(res.Unassigned, in.Customers[u.Job].ID)
	}
	return res
}
