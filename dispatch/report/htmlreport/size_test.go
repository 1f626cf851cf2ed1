package htmlreport_test

import (
	"context"
	"os"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/report/htmlreport"
)

// TestPageSize measures the page at the default 50,000 orders and with the stations of a 1,000,000-order
// world: the page holds aggregates, so only the station symbols grow with the orders. Opt-in
// (HTMLREPORT_SIZE=1): it runs a full default compare.
func TestPageSize(t *testing.T) {
	if os.Getenv("HTMLREPORT_SIZE") == "" {
		t.Skip("set HTMLREPORT_SIZE=1 to measure the page at 50,000 orders and with a 1M-order world's stations")
	}
	const limit = 10 << 20
	c, err := dispatch.Compare(context.Background(), compareOptions(t, 50000))
	if err != nil {
		t.Fatal(err)
	}
	in := htmlreport.FromComparison(c, meta())
	n50 := len(render(t, in))
	stations50 := 0
	for _, mc := range in.Map.Carriers {
		stations50 += len(mc.Stations)
	}
	big := htmlreport.FromReport(&c.Report, world(t, 1000000), htmlreport.Meta{})
	in.Map = big.Map
	stations := 0
	for _, mc := range in.Map.Carriers {
		stations += len(mc.Stations)
	}
	n1m := len(render(t, in))
	t.Logf("page: %d bytes at %d orders (%d stations); %d bytes with the %d stations of a 1,000,000-order world",
		n50, len(c.Orders), stations50, n1m, stations)
	if n50 > limit || n1m > limit {
		t.Errorf("page over 10 MB")
	}
}
