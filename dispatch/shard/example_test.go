package shard_test

import (
	"fmt"

	"github.com/carriersim/carriersim/dispatch/shard"
)

// ExampleNewPlan splits the twelve-city test scenario into four shards of balanced expected orders.
func ExampleNewPlan() {
	n, hash, err := shard.LoadNational("china-double11-small")
	if err != nil {
		panic(err)
	}
	p, err := shard.NewPlan(n, hash, 4, 1)
	if err != nil {
		panic(err)
	}
	for _, s := range p.Shards {
		fmt.Println(s.Index, len(s.Cities), s.DayOrders)
	}
	// Output:
	// 0 3 4530
	// 1 3 4530
	// 2 3 4530
	// 3 3 4530
}
