// Package htmlreport writes a comparison as one self-contained HTML page for people who would rather look
// than read a table: the answer in a sentence per policy, cost per order by part, latency distributions,
// installs, a map of the city shaded by the change each district sees, sweeps, and the run's parameters.
//
// The package owns the page and its input. Input is built from a finished comparison that kept its orders
// (FromComparison), from one that released them and the LatencySinks that observed its run (FromStream), or
// from a JSON report and the world of its scenario (FromReport); every use of the simulation's types is in
// input.go, so the rest of the package reads only Input.
//
// Charts are inline SVG drawn here, not a JavaScript charting library: the page then has real, selectable
// text, prints as vectors at A4 width, makes no request and runs no script (its Content-Security-Policy
// forbids both), and the same Input gives the same bytes. The map's cost / latency toggle is two radio
// buttons and CSS. The page holds aggregates only (quantiles, per-district and per-group figures), never
// an order, so its size does not grow with the number of orders.
//
// Colours: policies and carriers use the Okabe-Ito palette, which stays distinct under the common colour
// vision deficiencies, and every series also differs by dash pattern or marker shape so the charts read in
// greyscale; the map's diverging scale runs from blue (cheaper, faster) through white to orange, and
// increases are also hatched.
package htmlreport
