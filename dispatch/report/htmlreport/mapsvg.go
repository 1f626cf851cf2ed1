package htmlreport

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// mapW is the map's width in SVG units; its height follows the city's shape.
const mapW = 820

// projection maps lon/lat to SVG units with an equirectangular projection whose x is scaled by the cosine
// of the city's middle latitude. Over one city (tens of km) its distortion is well under a percent, which
// is fine for drawing districts and stations; it is not a projection for measuring.
type projection struct {
	minLon, maxLat, kx, scale float64
	w, h                      float64
}

func newProjection(b orb.Bound, width, pad float64) projection {
	kx := math.Cos((b.Min[1] + b.Max[1]) / 2 * math.Pi / 180)
	dx, dy := (b.Max[0]-b.Min[0])*kx, b.Max[1]-b.Min[1]
	if dx <= 0 || dy <= 0 {
		dx, dy = 1, 1
	}
	s := (width - 2*pad) / dx
	return projection{minLon: b.Min[0] - pad/s/kx, maxLat: b.Max[1] + pad/s, kx: kx, scale: s,
		w: width, h: dy*s + 2*pad}
}

func (p projection) xy(pt orb.Point) (float64, float64) {
	return (pt[0] - p.minLon) * p.kx * p.scale, (p.maxLat - pt[1]) * p.scale
}

// path returns the SVG path of a multipolygon, dropping vertices closer than half a unit to the last one
// kept (the page needs no more detail than it can show).
func (p projection) path(mp orb.MultiPolygon) string {
	var b strings.Builder
	for _, poly := range mp {
		for _, ring := range poly {
			lx, ly := math.Inf(1), math.Inf(1)
			n := 0
			for i, pt := range ring {
				x, y := p.xy(pt)
				if i > 0 && i < len(ring)-1 && math.Hypot(x-lx, y-ly) < 0.5 {
					continue
				}
				if n == 0 {
					b.WriteString("M")
				} else {
					b.WriteString(" ")
				}
				b.WriteString(f1(x) + " " + f1(y))
				lx, ly = x, y
				n++
			}
			if n > 0 {
				b.WriteString("Z")
			}
		}
	}
	return b.String()
}

// divergingColour maps v in [-m, m] to a blue (negative) - white - orange (positive) ramp.
func divergingColour(v, m float64) string {
	if m <= 0 || math.IsNaN(v) {
		return "#f7f7f7"
	}
	t := math.Max(-1, math.Min(1, v/m))
	end := [3]float64{0x21, 0x66, 0xac} // blue
	if t > 0 {
		end = [3]float64{0xb3, 0x58, 0x06} // orange
	}
	t = math.Abs(t)
	var c [3]int
	for i := range c {
		c[i] = int(math.Round(0xf7 + (end[i]-0xf7)*t))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// mapLayer is one shading of the districts: a value per district (NaN when unknown) and its legend.
type mapLayer struct {
	Class, Title, Unit string
	Prec               int       // decimals of the legend's values
	Values             []float64 // per Map.Districts
}

// stationShapes draws a carrier's station symbol centred at x, y: shape distinguishes carriers, not colour.
var stationShapes = []func(b *strings.Builder, x, y float64){
	func(b *strings.Builder, x, y float64) {
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="5" fill="#000" stroke="#fff" stroke-width="1.5"/>`, f1(x), f1(y))
	},
	func(b *strings.Builder, x, y float64) {
		fmt.Fprintf(b, `<path d="M%s %sl6 10.4h-12Z" fill="#fff" stroke="#000" stroke-width="1.5"/>`, f1(x), f1(y-6.9))
	},
	func(b *strings.Builder, x, y float64) {
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="10" height="10" fill="#777" stroke="#000"/>`, f1(x-5), f1(y-5))
	},
	func(b *strings.Builder, x, y float64) {
		fmt.Fprintf(b, `<path d="M%s %sl6 6-6 6-6-6Z" fill="#fff" stroke="#000" stroke-width="1.5"/>`, f1(x), f1(y-6))
	},
}

// cityMap draws the districts once as shapes and once per layer as fills (each layer in a group whose class
// the page's CSS toggle shows or hides), with station symbols and a legend per layer.
//
// focus marks the districts that had orders: the map is framed on them (with a margin that shows their
// neighbours, cut at the frame), so a scenario of one district is not a speck in its city. With no district
// marked the whole city is framed.
func cityMap(m *Map, layers []mapLayer, focus []bool) string {
	bound, ok := districtBound(m.Districts, focus)
	if !ok {
		bound, _ = districtBound(m.Districts, nil)
	} else {
		// A margin of a fifth of the framed extent on each side.
		dx, dy := (bound.Max[0]-bound.Min[0])/5, (bound.Max[1]-bound.Min[1])/5
		bound.Min, bound.Max = orb.Point{bound.Min[0] - dx, bound.Min[1] - dy}, orb.Point{bound.Max[0] + dx, bound.Max[1] + dy}
	}
	pr := newProjection(bound, mapW, 12)
	const legendH = 64
	var b strings.Builder
	svgOpen(&b, pr.h+legendH, "Map of the city's districts shaded by the change per district, with stations")
	b.WriteString(`<defs>`)
	for i, d := range m.Districts {
		fmt.Fprintf(&b, `<path id="dist%d" d="%s"/>`, i, pr.path(d.Geometry))
	}
	b.WriteString(`</defs>`)
	for _, l := range layers {
		mx := maxAbs(l.Values)
		fmt.Fprintf(&b, `<g class="%s">`, l.Class)
		for i, v := range l.Values {
			fmt.Fprintf(&b, `<use href="#dist%d" fill="%s"/>`, i, divergingColour(v, mx))
			if v > 0 {
				fmt.Fprintf(&b, `<use href="#dist%d" fill="url(#hatch)"/>`, i)
			}
		}
		mapLegend(&b, pr.h+8, l, mx)
		b.WriteString(`</g>`)
	}
	for i := range m.Districts {
		fmt.Fprintf(&b, `<use href="#dist%d" fill="none" stroke="#333" stroke-width="0.8"/>`, i)
	}
	// District labels where the district is wide enough to hold one.
	for _, d := range m.Districts {
		bd := d.Geometry.Bound()
		x0, _ := pr.xy(bd.Min)
		x1, _ := pr.xy(bd.Max)
		if x1-x0 < float64(textWidth(d.Name))+40 {
			continue
		}
		c := labelPoint(d.Geometry)
		x, y := pr.xy(c)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" class="maplabel">%s</text>`, f1(x), f1(y), esc(d.Name))
	}
	for ci, c := range m.Carriers {
		for _, st := range c.Stations {
			x, y := pr.xy(st)
			stationShapes[ci%len(stationShapes)](&b, x, y)
		}
	}
	// Station legend, bottom right.
	x := float64(mapW - 12)
	for ci := len(m.Carriers) - 1; ci >= 0; ci-- {
		name := m.Carriers[ci].ID + " station"
		x -= float64(textWidth(name)) + 30
		stationShapes[ci%len(stationShapes)](&b, x+6, pr.h+legendH-14)
		text(&b, x+16, pr.h+legendH-10, "start", name)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// districtBound is the lon/lat bound of the districts marked in only (all of them when only is nil); ok is
// false when none is marked.
func districtBound(ds []District, only []bool) (b orb.Bound, ok bool) {
	for i, d := range ds {
		if only != nil && (i >= len(only) || !only[i]) {
			continue
		}
		if !ok {
			b, ok = d.Geometry.Bound(), true
		} else {
			b = b.Union(d.Geometry.Bound())
		}
	}
	return b, ok
}

// mapLegend draws a layer's colour ramp from -mx to +mx with the hatch on the positive half.
func mapLegend(b *strings.Builder, y float64, l mapLayer, mx float64) {
	const x0, w, steps = 12.0, 300.0, 20
	text(b, x0, y+12, "start", l.Title)
	for i := 0; i < steps; i++ {
		v := -mx + (float64(i)+0.5)/steps*2*mx
		st := style{Colour: divergingColour(v, mx), Hatch: v > 0}
		rect(b, x0+float64(i)*w/steps, y+18, w/steps+0.3, 14, st)
	}
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="14" fill="none" stroke="#000"/>`, f1(x0), f1(y+18), f1(w))
	for i, anchor := range []string{"start", "middle", "end"} {
		t := float64(i - 1)
		text(b, x0+(t+1)/2*w, y+46, anchor, fmtSigned(t*mx, l.Prec)+" "+l.Unit)
	}
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		if !math.IsNaN(x) {
			m = math.Max(m, math.Abs(x))
		}
	}
	return m
}

// labelPoint returns the centre of the bounding box of the multipolygon's largest part (by box area): a
// place for a label, which for a concave district may lie just outside it.
func labelPoint(mp orb.MultiPolygon) orb.Point {
	best, area := 0, -1.0
	for i, p := range mp {
		bd := p.Bound()
		if a := (bd.Max[0] - bd.Min[0]) * (bd.Max[1] - bd.Min[1]); a > area {
			best, area = i, a
		}
	}
	if len(mp) == 0 {
		return orb.Point{}
	}
	return mp[best].Bound().Center()
}

// fmtSigned formats v with a sign and prec decimals (a true minus sign for negatives; zero has no sign).
func fmtSigned(v float64, prec int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', prec, 64)
	switch {
	case strings.Trim(s, "0.") == "":
		return s
	case v < 0:
		return "−" + s
	}
	return "+" + s
}
