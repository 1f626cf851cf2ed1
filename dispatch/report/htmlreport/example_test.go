package htmlreport_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/report/htmlreport"
)

// A page from a report alone: every section is there, and those without data say so.
func ExampleWrite() {
	m := metrics.Metrics{Orders: 100, Delivered: 98, Late: 4, Unserved: 2, OnTimeRate: 0.94,
		Cost:    metrics.Cost{PerOrder: 12.5, Linehaul: 1, Sorting: 0.5, LastMile: 11},
		Latency: metrics.Latency{Mean: 700, P50: 640, P90: 1300, P99: 2000}}
	r := &metrics.Report{Scenario: "sample", Seed: 7, Policies: []metrics.PolicyReport{{Policy: "closed", Metrics: m}}}
	var buf bytes.Buffer
	if err := htmlreport.Write(&buf, htmlreport.FromReport(r, nil, htmlreport.Meta{})); err != nil {
		fmt.Println(err)
		return
	}
	page := buf.String()
	for _, id := range htmlreport.Sections() {
		fmt.Println(id, strings.Contains(page, `<section id="`+id+`">`))
	}
	fmt.Println(strings.Contains(page, "12.50 CNY per delivered order"), strings.Contains(page, "No latency distributions"))
	// Output:
	// answer true
	// cost true
	// latency true
	// installs true
	// map true
	// sweep true
	// run true
	// true true
}
