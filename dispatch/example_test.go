package dispatch_test

import (
	"context"
	"fmt"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// Compare closed and open carrier access on the same 3,000 orders of the embedded Beijing scenario and
// print what opening does to the cost of a delivered order.
func ExampleCompare() {
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		panic(err)
	}
	res, err := dispatch.Compare(context.Background(), dispatch.Options{
		Scenario: sc, Policies: []string{"closed", "open"}, Seed: 1, Orders: 3000})
	if err != nil {
		panic(err)
	}
	closed, open := res.Report.Policies[0], res.Report.Policies[1]
	fmt.Printf("closed %.2f CNY/order, open %.2f, open - closed %+.2f\n",
		closed.Cost.PerOrder, open.Cost.PerOrder, open.Cost.PerOrder-closed.Cost.PerOrder)
	// Output: closed 13.51 CNY/order, open 13.26, open - closed -0.25
}
