package htmlreport

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Chart geometry, in SVG user units (CSS pixels at the page's full width of 820 px, which fits A4).
const (
	chartW   = 820
	labelW   = 210 // left column of bar labels
	valueW   = 150 // right column of bar values
	rowH     = 20
	barH     = 13
	axisH    = 34
	fontSize = 13
)

// style is how one series is drawn: a colour, a dash pattern for lines and an optional hatch for areas, so
// series differ in greyscale too.
type style struct {
	Colour string
	Dash   string // stroke-dasharray; "" is solid
	Hatch  bool
}

// Okabe-Ito colours, distinct under the common colour vision deficiencies; lines also differ by dash and
// every other series' bars are hatched, since the first two colours are alike in greyscale.
var seriesStyles = []style{
	{Colour: "#0072B2"},
	{Colour: "#D55E00", Dash: "7 4", Hatch: true},
	{Colour: "#009E73", Dash: "2 3"},
	{Colour: "#CC79A7", Dash: "9 3 2 3", Hatch: true},
	{Colour: "#E69F00", Dash: "4 2"},
	{Colour: "#56B4E9", Dash: "1 2", Hatch: true},
}

func seriesStyle(i int) style { return seriesStyles[i%len(seriesStyles)] }

// fmtNum formats v with at most prec decimals and no trailing zeros after the point.
func fmtNum(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// f1 formats an SVG coordinate.
func f1(v float64) string { return fmtNum(v, 1) }

func esc(s string) string { return html.EscapeString(s) }

// niceTicks returns about n round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(max(1, n))
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for v := math.Floor(lo/step) * step; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	if len(out) > 0 && out[len(out)-1] < hi-step*1e-9 {
		out = append(out, out[len(out)-1]+step)
	}
	return out
}

// svgOpen starts an SVG of the chart width and height h with an accessible title.
func svgOpen(b *strings.Builder, h float64, title string) {
	fmt.Fprintf(b, `<svg viewBox="0 0 %d %s" role="img" aria-label="%s" font-size="%d">`, chartW, f1(h), esc(title), fontSize)
	fmt.Fprintf(b, `<title>%s</title>`, esc(title))
}

// hatchDefs defines, once per page, the diagonal hatch laid over areas whose style asks for it.
const hatchDefs = `<svg width="0" height="0" class="defs" aria-hidden="true"><defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="1.2" stroke-opacity="0.55"/></pattern></defs></svg>`

// rect draws a filled rectangle, hatched if the style says so.
func rect(b *strings.Builder, x, y, w, h float64, st style) {
	if w <= 0 || h <= 0 {
		return
	}
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, f1(x), f1(y), f1(w), f1(h), st.Colour)
	if st.Hatch {
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="url(#hatch)"/>`, f1(x), f1(y), f1(w), f1(h))
	}
}

func text(b *strings.Builder, x, y float64, anchor, s string) {
	fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s">%s</text>`, f1(x), f1(y), anchor, esc(s))
}

// barRow is one horizontal bar: segments laid end to end from Start, an optional tick mark, and the
// text written after the bar. A row with no segments and a Heading is a group heading.
type barRow struct {
	Label   string
	Heading bool
	Start   float64
	Segs    []barSeg
	Mark    float64 // a tick at this value (e.g. a mean); NaN for none
	Value   string
}

type barSeg struct {
	V     float64
	Style style
}

// legendItem names a style in a legend.
type legendItem struct {
	Name  string
	Style style
	Line  bool // draw a line sample instead of a box
}

// legendLineH is the height of one line of a legend.
const legendLineH = 20

// legendLines returns how many lines the items take from x0 to the chart's right edge.
func legendLines(x0 float64, items []legendItem) int {
	return legendLayout(x0, items, nil, 0)
}

// legend draws items in rows from x0, the first row's baseline at y, wrapping at the chart's right edge.
func legend(b *strings.Builder, x0, y float64, items []legendItem) {
	legendLayout(x0, items, b, y)
}

// legendLayout places the items and, when b is not nil, draws them; it returns the lines used.
func legendLayout(x0 float64, items []legendItem, b *strings.Builder, y float64) int {
	x, lines := x0, 1
	for _, it := range items {
		w := float64(textWidth(it.Name)) + 37
		if x > x0 && x+w > chartW {
			x, y, lines = x0, y+legendLineH, lines+1
		}
		if b == nil {
			x += w
			continue
		}
		if it.Line {
			fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2.5"%s/>`,
				f1(x), f1(y-4), f1(x+26), f1(y-4), it.Style.Colour, dashAttr(it.Style.Dash))
			x += 32
		} else {
			rect(b, x, y-11, 14, 12, it.Style)
			x += 19
		}
		text(b, x, y, "start", it.Name)
		x += float64(textWidth(it.Name)) + 18
	}
	return lines
}

// textWidth estimates a label's width in pixels at the chart font size (wide characters count double).
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		if r > 0x2E80 {
			w += fontSize
		} else {
			w += fontSize * 6 / 10
		}
	}
	return w
}

func dashAttr(d string) string {
	if d == "" {
		return ""
	}
	return fmt.Sprintf(` stroke-dasharray="%s"`, d)
}

// barChart draws horizontal bars against an x axis starting at 0 (or below, for negative values) and
// labelled with xLabel.
func barChart(title, xLabel string, rows []barRow, items []legendItem) string {
	var b strings.Builder
	lo, hi := 0.0, 0.0
	for _, r := range rows {
		v := r.Start
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		for _, s := range r.Segs {
			v += s.V
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if !math.IsNaN(r.Mark) {
			lo, hi = math.Min(lo, r.Mark), math.Max(hi, r.Mark)
		}
	}
	ticks := niceTicks(lo, hi, 6)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	top := 6.0
	if len(items) > 0 {
		top += float64(legendLines(labelW, items) * legendLineH)
	}
	h := top + float64(len(rows))*rowH + axisH
	svgOpen(&b, h, title)
	if len(items) > 0 {
		legend(&b, labelW, 16, items)
	}
	plotW := float64(chartW - labelW - valueW)
	xOf := func(v float64) float64 { return labelW + (v-lo)/(hi-lo)*plotW }
	bottom := top + float64(len(rows))*rowH
	// Gridlines and the zero line run through bar rows only, never through a group heading's text.
	var spans [][2]float64
	for i, r := range rows {
		y := top + float64(i)*rowH
		switch {
		case r.Heading:
		case len(spans) > 0 && spans[len(spans)-1][1] == y:
			spans[len(spans)-1][1] = y + rowH
		default:
			spans = append(spans, [2]float64{y, y + rowH})
		}
	}
	vline := func(x float64, colour string) {
		for _, s := range spans {
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, f1(x), f1(s[0]), f1(x), f1(s[1]), colour)
		}
	}
	for _, t := range ticks {
		x := xOf(t)
		vline(x, "#ccc")
		text(&b, x, bottom+14, "middle", fmtNum(t, 3))
	}
	text(&b, labelW+plotW/2, bottom+30, "middle", xLabel)
	for i, r := range rows {
		y := top + float64(i)*rowH
		if r.Heading {
			fmt.Fprintf(&b, `<text x="4" y="%s" font-weight="bold">%s</text>`, f1(y+rowH-5), esc(r.Label))
			continue
		}
		text(&b, labelW-6, y+rowH-6, "end", r.Label)
		v := r.Start
		for _, s := range r.Segs {
			x0, x1 := xOf(math.Min(v, v+s.V)), xOf(math.Max(v, v+s.V))
			rect(&b, x0, y+(rowH-barH)/2, x1-x0, barH, s.Style)
			v += s.V
		}
		if !math.IsNaN(r.Mark) {
			x := xOf(r.Mark)
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000" stroke-width="2"/>`, f1(x), f1(y+1), f1(x), f1(y+rowH-1))
		}
		text(&b, labelW+plotW+6, y+rowH-6, "start", r.Value)
	}
	vline(xOf(0), "#000")
	b.WriteString(`</svg>`)
	return b.String()
}

// series is one line of a line chart, optionally with a band between Lo and Hi.
type series struct {
	Name   string
	X, Y   []float64
	Lo, Hi []float64
	Style  style
	Step   bool // draw as a step function (for distribution functions)
}

// axis describes one axis of a line chart; Step > 0 fixes the tick spacing.
type axis struct {
	Label    string
	Lo, Hi   float64
	Step     float64
	Format   func(float64) string
	FromZero bool
}

// lineChart draws series against two linear axes, with a legend above.
func lineChart(title string, xa, ya axis, ss []series) string {
	var b strings.Builder
	const left, right, height = 64, 16, 240
	xt := axisTicks(xa, ss, func(s series) ([]float64, []float64, []float64) { return s.X, nil, nil })
	yt := axisTicks(ya, ss, func(s series) ([]float64, []float64, []float64) { return s.Y, s.Lo, s.Hi })
	var items []legendItem
	for _, s := range ss {
		items = append(items, legendItem{Name: s.Name, Style: s.Style, Line: true})
	}
	top := float64(10 + legendLines(left, items)*legendLineH)
	h := top + height + axisH + 6
	svgOpen(&b, h, title)
	legend(&b, left, 16, items)
	plotW := float64(chartW - left - right)
	x0, x1, y0, y1 := xt[0], xt[len(xt)-1], yt[0], yt[len(yt)-1]
	xOf := func(v float64) float64 { return left + (v-x0)/(x1-x0)*plotW }
	yOf := func(v float64) float64 { return top + height - (v-y0)/(y1-y0)*height }
	for _, t := range yt {
		y := yOf(t)
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%s" y2="%s" stroke="#ddd"/>`, left, f1(y), f1(left+plotW), f1(y))
		text(&b, left-6, y+4, "end", ya.format(t))
	}
	for _, t := range xt {
		x := xOf(t)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ddd"/>`, f1(x), f1(top), f1(x), f1(top+height))
		text(&b, x, top+height+14, "middle", xa.format(t))
	}
	text(&b, left+plotW/2, top+height+30, "middle", xa.Label)
	fmt.Fprintf(&b, `<text transform="translate(14 %s) rotate(-90)" text-anchor="middle">%s</text>`, f1(top+height/2.0), esc(ya.Label))
	fmt.Fprintf(&b, `<rect x="%d" y="%s" width="%s" height="%d" fill="none" stroke="#000"/>`, left, f1(top), f1(plotW), height)
	for _, s := range ss {
		if len(s.Lo) == len(s.X) && len(s.Hi) == len(s.X) && len(s.X) > 0 {
			var pts []string
			for i := range s.X {
				pts = append(pts, f1(xOf(s.X[i]))+","+f1(yOf(s.Hi[i])))
			}
			for i := len(s.X) - 1; i >= 0; i-- {
				pts = append(pts, f1(xOf(s.X[i]))+","+f1(yOf(s.Lo[i])))
			}
			fmt.Fprintf(&b, `<polygon points="%s" fill="%s" fill-opacity="0.18"/>`, strings.Join(pts, " "), s.Style.Colour)
		}
		var pts []string
		for i := range s.X {
			x, y := f1(xOf(s.X[i])), f1(yOf(s.Y[i]))
			if s.Step && i > 0 {
				pts = append(pts, x+","+f1(yOf(s.Y[i-1])))
			}
			pts = append(pts, x+","+y)
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.2"%s/>`, strings.Join(pts, " "), s.Style.Colour, dashAttr(s.Style.Dash))
		if !s.Step {
			for i := range s.X {
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`, f1(xOf(s.X[i])), f1(yOf(s.Y[i])), s.Style.Colour)
			}
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func (a axis) format(v float64) string {
	if a.Format != nil {
		return a.Format(v)
	}
	return fmtNum(v, 3)
}

// axisTicks returns the axis's ticks: its fixed range and step if given, else round values over the data.
func axisTicks(a axis, ss []series, vals func(series) ([]float64, []float64, []float64)) []float64 {
	lo, hi := a.Lo, a.Hi
	if !(hi > lo) {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, s := range ss {
			v, l, h := vals(s)
			for _, xs := range [][]float64{v, l, h} {
				for _, x := range xs {
					lo, hi = math.Min(lo, x), math.Max(hi, x)
				}
			}
		}
		if math.IsInf(lo, 0) {
			lo, hi = 0, 1
		}
		if a.FromZero {
			lo = math.Min(lo, 0)
		}
	}
	if a.Step <= 0 {
		return niceTicks(lo, hi, 6)
	}
	var out []float64
	for v := math.Floor(lo/a.Step) * a.Step; v < hi+a.Step; v += a.Step {
		out = append(out, v)
		if v >= hi {
			break
		}
	}
	return out
}
