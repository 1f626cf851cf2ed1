package htmlreport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/report/htmlreport"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// testOrders keeps the shared comparison small: the page's shape does not depend on the order count.
const testOrders = 3000

var (
	cmpOnce sync.Once
	cmpVal  *dispatch.Comparison
	cmpErr  error
)

// world builds the embedded default scenario's world for n design orders.
func world(t testing.TB, n int) *sim.World {
	t.Helper()
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	sc.Demand.Orders = n
	w, err := sim.NewWorld(sc)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// compareOptions is the default compare (closed vs open, seed 1) at n design orders.
func compareOptions(t testing.TB, n int) dispatch.Options {
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	return dispatch.Options{Scenario: sc, Policies: []string{"closed", "open"}, Seed: 1, Orders: n}
}

// comparison is the default compare (closed vs open) at testOrders orders, run once per test binary.
func comparison(t testing.TB) *dispatch.Comparison {
	t.Helper()
	cmpOnce.Do(func() {
		cmpVal, cmpErr = dispatch.Compare(context.Background(), compareOptions(t, testOrders))
	})
	if cmpErr != nil {
		t.Fatal(cmpErr)
	}
	return cmpVal
}

func meta() htmlreport.Meta {
	return htmlreport.Meta{Version: "test", Command: []string{"carriersim", "compare", "--orders", fmt.Sprint(testOrders), "--html", "r.html"}}
}

func render(t testing.TB, in *htmlreport.Input) string {
	t.Helper()
	var buf bytes.Buffer
	if err := htmlreport.Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// pageText is the page's visible text, roughly: tags removed, entities of the escaper undone.
func pageText(html string) string {
	s := tagRE.ReplaceAllString(html, " ")
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'").Replace(s)
}

// headlines are the figures of the JSON report the page must state, as the page formats them.
func headlines(r *metrics.Report) []string {
	var out []string
	for _, p := range r.Policies {
		out = append(out, p.Policy,
			fmt.Sprintf("%.2f CNY per delivered order", p.Cost.PerOrder),
			fmt.Sprintf("%.0f min", p.Latency.P50),
			fmt.Sprintf("%.1f%% on time", p.OnTimeRate*100),
			fmt.Sprintf("%d of %d orders unserved", p.Unserved, p.Orders))
	}
	return out
}

func TestWriteComparison(t *testing.T) {
	c := comparison(t)
	in := htmlreport.FromComparison(c, meta())
	html := render(t, in)

	// Sections in the order.
	last := -1
	for _, id := range htmlreport.Sections() {
		i := strings.Index(html, `<section id="`+id+`">`)
		if i < 0 {
			t.Fatalf("section %q missing", id)
		}
		if i < last {
			t.Errorf("section %q out of order", id)
		}
		last = i
	}
	for _, id := range []string{"cost-policy", "cost-carrier", "cdf-door", "cdf-installed", "ontime", "install-wait-cdf", "install-total-cdf", "utilisation", "map"} {
		if !strings.Contains(html, `id="fig-`+id+`"`) {
			t.Errorf("figure %q missing", id)
		}
	}
	text := pageText(html)
	for _, h := range headlines(&c.Report) {
		if !strings.Contains(text, h) {
			t.Errorf("page text lacks headline %q", h)
		}
	}
	for _, want := range []string{"One replication; no confidence interval.", "not a sweep", c.World.Zones[0].Name, "carriersim compare --orders"} {
		if !strings.Contains(text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	// The default scenario is one district of Beijing: the district table lists the districts with orders
	// and says how many it leaves out.
	withOrders, without := 0, 0
	for _, d := range c.Report.Policies[0].Districts {
		if d.Orders > 0 {
			withOrders++
		} else {
			without++
		}
	}
	if withOrders == 0 || without == 0 {
		t.Fatalf("the default scenario should have districts with and without orders: %d and %d", withOrders, without)
	}
	if want := fmt.Sprintf("%d districts without orders are left out of the table", without); !strings.Contains(text, want) {
		t.Errorf("page text lacks %q", want)
	}
	// Self-contained: nothing is fetched.
	for _, bad := range []string{"http:", "https:", "<script", "<img", "<link", "@import", "src="} {
		if strings.Contains(html, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if again := render(t, htmlreport.FromComparison(c, meta())); again != html {
		t.Error("two renderings of the same comparison differ")
	}
	if len(in.Latency) != 2 || len(in.Latency[0].Door) != htmlreport.Quantiles {
		t.Fatalf("latency quantiles: got %d policies", len(in.Latency))
	}
	// The CDF's median is the report's p50 over the same orders when no install is among them; here it
	// must at least be within the distribution of all orders.
	for i, l := range in.Latency {
		for k := 1; k < len(l.Door); k++ {
			if l.Door[k] < l.Door[k-1] {
				t.Fatalf("policy %d: door quantiles not ascending at %d", i, k)
			}
		}
	}
	t.Logf("page: %d bytes at %d orders", len(html), len(c.Orders))
}

func TestWriteFromJSONReport(t *testing.T) {
	c := comparison(t)
	js, err := json.Marshal(&c.Report)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := htmlreport.DecodeReport(bytes.NewReader(js), "r.json")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Load(rep.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	if got := htmlreport.DesignOrders(rep, sc); got != testOrders {
		t.Errorf("DesignOrders: got %d, want %d", got, testOrders)
	}
	html := render(t, htmlreport.FromReport(rep, world(t, testOrders), htmlreport.Meta{}))
	text := pageText(html)
	for _, h := range headlines(rep) {
		if !strings.Contains(text, h) {
			t.Errorf("page text lacks headline %q", h)
		}
	}
	if !strings.Contains(text, "No latency distributions") || strings.Contains(html, `id="fig-cdf-door"`) {
		t.Error("a page from the JSON report alone must say it has no latency distributions, and draw none")
	}
	for _, id := range []string{"map", "install-wait", "install-total"} {
		if !strings.Contains(html, `id="fig-`+id+`"`) {
			t.Errorf("figure %q missing", id)
		}
	}
	// Without a world: no map, but the district table.
	html = render(t, htmlreport.FromReport(rep, nil, htmlreport.Meta{}))
	if strings.Contains(html, `id="fig-map"`) || !strings.Contains(pageText(html), "No map") {
		t.Error("a page without a world must say it has no map")
	}
}

func TestWriteIntervalsAndSweep(t *testing.T) {
	c := comparison(t)
	in := htmlreport.FromComparison(c, meta())
	in.Intervals = []htmlreport.PolicyIntervals{{Policy: "open", Replications: 5,
		CostPerOrder: htmlreport.Interval{Mean: 21.5, Lo: 21.25, Hi: 21.75}, P50Minutes: htmlreport.Interval{Mean: 1400, Lo: 1380, Hi: 1420},
		OnTimeRate: htmlreport.Interval{Mean: 0.93, Lo: 0.92, Hi: 0.94}}}
	in.Sweep = &htmlreport.Sweep{Parameter: "demand.orders", Values: []float64{1000, 3000, 10000},
		Metrics: []htmlreport.SweepMetric{{Name: "cost per order", Unit: "CNY", Series: []htmlreport.SweepSeries{
			{Policy: "closed", Mean: []float64{30, 24, 18}, Lo: []float64{29, 23.5, 17.8}, Hi: []float64{31, 24.5, 18.2}},
			{Policy: "open", Mean: []float64{27, 21.6, 16.5}},
		}}}}
	html := render(t, in)
	text := pageText(html)
	for _, want := range []string{"Over 5 replications", "21.25 to 21.75 CNY", `id="fig-sweep-0"`} {
		if !strings.Contains(text, want) && !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(text, "One replication; no confidence interval.") {
		t.Error("the one-replication note must go when there are intervals")
	}
}

func TestWriteNoReport(t *testing.T) {
	var buf bytes.Buffer
	for _, in := range []*htmlreport.Input{nil, {}, {Report: &metrics.Report{}}} {
		if err := htmlreport.Write(&buf, in); !errors.Is(err, htmlreport.ErrNoReport) {
			t.Errorf("got %v, want ErrNoReport", err)
		}
	}
}
