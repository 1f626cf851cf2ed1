package htmlreport

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// ErrNoReport is returned by Write when the input has no report or the report no policies.
var ErrNoReport = errors.New("htmlreport: the input has no report with policies")

// Section ids, in page order; each is the id of the section's element.
const (
	SectionAnswer   = "answer"
	SectionCost     = "cost"
	SectionLatency  = "latency"
	SectionInstalls = "installs"
	SectionMap      = "map"
	SectionSweep    = "sweep"
	SectionRun      = "run"
)

// Sections lists the section ids in the order the page shows them.
func Sections() []string {
	return []string{SectionAnswer, SectionCost, SectionLatency, SectionInstalls, SectionMap, SectionSweep, SectionRun}
}

// Write writes the page for in to w: one HTML document with its styles and charts inline, which loads
// nothing and runs no script. The same input gives the same bytes.
func Write(w io.Writer, in *Input) error {
	if in == nil || in.Report == nil || len(in.Report.Policies) == 0 {
		return ErrNoReport
	}
	p := &page{in: in, r: in.Report}
	p.head()
	p.answer()
	p.cost()
	p.latency()
	p.installs()
	p.cityMap()
	p.sweep()
	p.runInfo()
	p.b.WriteString("</main>\n</body>\n</html>\n")
	_, err := io.WriteString(w, p.b.String())
	return err
}

type page struct {
	in *Input
	r  *report
	b  strings.Builder
}

const css = `
:root{color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;color:#111;background:#fff;margin:0}
main{max-width:860px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #111;padding-bottom:2px}
h3{font-size:15px;margin:18px 0 6px}
p.note{color:#333;font-style:italic}
p.lead{font-size:13px;color:#222;margin-bottom:2px}
figure{margin:10px 0 14px;break-inside:avoid}figure svg{display:block;width:100%;height:auto}
figcaption{font-size:13px;color:#222;margin-top:2px}
svg text{fill:#111}svg text.maplabel{font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg.defs{position:absolute}
table{border-collapse:collapse;font-size:12px;margin:6px 0 12px;break-inside:auto}
th,td{padding:2px 6px;border-bottom:1px solid #bbb;text-align:right;vertical-align:top}
th:first-child,td:first-child,td.l,th.l{text-align:left}
thead th{border-bottom:2px solid #111}
ul.answer{padding-left:18px}ul.answer li{margin:4px 0}
.toggle{margin:4px 0}.toggle label{margin-right:14px;cursor:pointer}
#mv-lat:checked~.mapbox .v-cost,#mv-cost:checked~.mapbox .v-lat{display:none}
code{font-size:12px;word-break:break-all}
#run td,#run th{text-align:left}
@page{size:A4;margin:12mm}
@media print{main{max-width:none;padding:0}.toggle{display:none}h2{break-after:avoid}}
`

func (p *page) head() {
	title := "carriersim report: " + p.in.Meta.Scenario
	fmt.Fprintf(&p.b, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>%s</style>
</head>
<body>
%s
<main>
<h1>%s</h1>
`, esc(title), css, hatchDefs, esc(title))
	names := make([]string, len(p.r.Policies))
	for i := range p.r.Policies {
		names[i] = p.r.Policies[i].Policy
	}
	fmt.Fprintf(&p.b, "<p>Policies %s on the same %d orders, seed %s. Money is CNY per delivered order; latency is from order creation to the door (to installation completed, for installs).</p>\n",
		esc(strings.Join(names, ", ")), p.r.Policies[0].Orders, seedList(p.in.Meta.Seeds))
}

func seedList(seeds []uint64) string {
	var s []string
	for _, v := range seeds {
		s = append(s, fmt.Sprint(v))
	}
	return strings.Join(s, ", ")
}

func (p *page) section(id, title string) {
	fmt.Fprintf(&p.b, "<section id=\"%s\">\n<h2>%s</h2>\n", id, esc(title))
}

func (p *page) end() { p.b.WriteString("</section>\n") }

func (p *page) para(class, html string) {
	if class != "" {
		fmt.Fprintf(&p.b, "<p class=\"%s\">%s</p>\n", class, html)
		return
	}
	fmt.Fprintf(&p.b, "<p>%s</p>\n", html)
}

// figure wraps a chart with an id (used by tests to find it on screen) and a caption.
func (p *page) figure(id, svg, caption string) {
	fmt.Fprintf(&p.b, "<figure class=\"chart\" id=\"fig-%s\">\n%s\n<figcaption>%s</figcaption>\n</figure>\n", id, svg, caption)
}

// table writes a table; cells are escaped text, the first column left-aligned.
func (p *page) table(head []string, rows [][]string) {
	p.b.WriteString("<table>\n<thead><tr>")
	for _, h := range head {
		fmt.Fprintf(&p.b, "<th>%s</th>", esc(h))
	}
	p.b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range rows {
		p.b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&p.b, "<td>%s</td>", esc(c))
		}
		p.b.WriteString("</tr>\n")
	}
	p.b.WriteString("</tbody>\n</table>\n")
}

// Formats of the headline figures: the page's text holds them exactly so.
func cny(v float64) string     { return fmt.Sprintf("%.2f", v) }
func minutes(v float64) string { return fmt.Sprintf("%.0f", v) }
func pct(rate float64) string  { return fmt.Sprintf("%.1f%%", rate*100) }
func hrs(v float64) string     { return fmtNum(v, 1) + " h" }

func (p *page) answer() {
	p.section(SectionAnswer, "1. The answer")
	base := &p.r.Policies[0]
	p.b.WriteString("<ul class=\"answer\">\n")
	for i := range p.r.Policies {
		pr := &p.r.Policies[i]
		var s string
		if i == 0 {
			s = fmt.Sprintf("<b>%s</b>%s: %s CNY per delivered order; half the orders reach the door within %s min (%s), nine in ten within %s min; %s on time; %d of %d orders unserved.",
				esc(pr.Policy), map[bool]string{true: " (the baseline)", false: ""}[len(p.r.Policies) > 1],
				cny(pr.Cost.PerOrder), minutes(pr.Latency.P50), hrs(pr.Latency.P50/60), minutes(pr.Latency.P90),
				pct(pr.OnTimeRate), pr.Unserved, pr.Orders)
		} else {
			dc := pr.Cost.PerOrder - base.Cost.PerOrder
			rel := 0.0
			if base.Cost.PerOrder != 0 {
				rel = dc / base.Cost.PerOrder * 100
			}
			dl := pr.Latency.P50 - base.Latency.P50
			dt := (pr.OnTimeRate - base.OnTimeRate) * 100
			s = fmt.Sprintf("<b>%s</b>: %s CNY per delivered order, %s CNY (%s%%) %s than %s; median order to door %s min, %s min %s; %s on time, %s points %s; %d of %d orders unserved.",
				esc(pr.Policy), cny(pr.Cost.PerOrder), cny(math.Abs(dc)), fmtNum(math.Abs(rel), 1), word(dc, "less", "more"), esc(base.Policy),
				minutes(pr.Latency.P50), minutes(math.Abs(dl)), word(dl, "sooner", "later"),
				pct(pr.OnTimeRate), fmtNum(math.Abs(dt), 1), word(-dt, "more", "fewer"), pr.Unserved, pr.Orders)
		}
		if iv := p.intervals(pr.Policy); iv != nil {
			s += fmt.Sprintf(" Over %d replications (95%% intervals): %s to %s CNY per order; median %s to %s min; %s to %s on time.",
				iv.Replications, cny(iv.CostPerOrder.Lo), cny(iv.CostPerOrder.Hi), minutes(iv.P50Minutes.Lo), minutes(iv.P50Minutes.Hi),
				pct(iv.OnTimeRate.Lo), pct(iv.OnTimeRate.Hi))
		}
		fmt.Fprintf(&p.b, "<li>%s</li>\n", s)
	}
	p.b.WriteString("</ul>\n")
	if len(p.in.Intervals) == 0 {
		p.para("note", "One replication; no confidence interval.")
	}
	var rows [][]string
	for i := range p.r.Policies {
		pr := &p.r.Policies[i]
		rows = append(rows, []string{pr.Policy, fmt.Sprint(pr.Orders), fmt.Sprint(pr.Delivered), fmt.Sprint(pr.Late),
			fmt.Sprint(pr.Unserved), cny(pr.Cost.PerOrder), minutes(pr.Latency.P50), minutes(pr.Latency.P90),
			minutes(pr.Latency.P99), pct(pr.OnTimeRate), fmtNum(pr.KmPerOrder, 2), fmtNum(pr.VehiclesUsed, 1)})
	}
	p.table([]string{"policy", "orders", "delivered", "late", "unserved", "CNY/order", "p50 min", "p90 min", "p99 min", "on time", "km/order", "vehicle-waves"}, rows)
	p.end()
}

// word picks the word for a change: neg when the change is negative (a decrease), pos otherwise.
func word(change float64, neg, pos string) string {
	if change < 0 {
		return neg
	}
	return pos
}

func (p *page) intervals(policy string) *PolicyIntervals {
	for i := range p.in.Intervals {
		if p.in.Intervals[i].Policy == policy {
			return &p.in.Intervals[i]
		}
	}
	return nil
}
