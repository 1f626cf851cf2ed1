// Package report renders a comparison for people and tools: the terminal table, the JSON report of
// CONTRACT.md and the GeoJSON map. It only reads simulation results; it computes no metric of its own
// except differences between policies.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/carriersim/carriersim/dispatch/metrics"
)

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *metrics.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

var header = []string{"orders", "delivered", "late", "unserved", "cost/order", "linehaul", "sorting",
	"last_mile", "install", "p50_min", "p90_min", "p99_min", "on_time", "km/order", "vehicles"}

func cells(m *metrics.Metrics) []float64 {
	return []float64{float64(m.Orders), float64(m.Delivered), float64(m.Late), float64(m.Unserved),
		m.Cost.PerOrder, m.Cost.Linehaul, m.Cost.Sorting, m.Cost.LastMile, m.Cost.Install,
		m.Latency.P50, m.Latency.P90, m.Latency.P99, m.OnTimeRate, m.KmPerOrder, m.VehiclesUsed}
}

// formats per column: counts, money, minutes, rate, km, vehicles.
var formats = []string{"%.0f", "%.0f", "%.0f", "%.0f", "%.2f", "%.2f", "%.2f", "%.2f", "%.2f",
	"%.0f", "%.0f", "%.0f", "%.3f", "%.2f", "%.1f"}

func row(w io.Writer, label []string, vals []float64, diff bool) {
	parts := append([]string{}, label...)
	for i, v := range vals {
		f := formats[i]
		if diff {
			f = strings.Replace(f, "%", "%+", 1)
		}
		parts = append(parts, fmt.Sprintf(f, v))
	}
	fmt.Fprintln(w, strings.Join(parts, "\t")+"\t")
}

// WriteTable writes the comparison table: policy totals, each policy's difference from the first
// ("open-closed"), then every platform x carrier x category group.
func WriteTable(out io.Writer, r *metrics.Report) error {
	shift := ""
	if r.Shift != "" {
		shift = ", demand shift " + r.Shift
	}
	fmt.Fprintf(out, "scenario %s, seed %d%s; money in CNY per delivered order, latency in minutes from order to door (to installed)\n\n", r.Scenario, r.Seed, shift)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "policy\t"+strings.Join(header, "\t")+"\t")
	for i := range r.Policies {
		p := &r.Policies[i]
		row(tw, []string{p.Policy}, cells(&p.Metrics), false)
	}
	if len(r.Policies) > 1 {
		base := &r.Policies[0]
		for i := 1; i < len(r.Policies); i++ {
			p := &r.Policies[i]
			row(tw, []string{p.Policy + "-" + base.Policy}, sub(cells(&p.Metrics), cells(&base.Metrics)), true)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := writeCarriers(out, r); err != nil {
		return err
	}

	fmt.Fprintln(out, "\nby platform x carrier x category")
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "policy\tplatform\tcarrier\tcategory\t"+strings.Join(header, "\t")+"\t")
	for i := range r.Policies {
		p := &r.Policies[i]
		for j := range p.Groups {
			g := &p.Groups[j]
			row(tw, []string{p.Policy, g.Platform, g.Carrier, g.Category}, cells(&g.Metrics), false)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Policies) > 1 {
		fmt.Fprintln(out, "\nby platform x category (all carriers), difference from "+r.Policies[0].Policy)
		tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "policy\tplatform\tcategory\t"+strings.Join(header, "\t")+"\t")
		base := &r.Policies[0]
		for i := 1; i < len(r.Policies); i++ {
			p := &r.Policies[i]
			for j := range p.PlatformCategory {
				g := &p.PlatformCategory[j]
				for k := range base.PlatformCategory {
					b := &base.PlatformCategory[k]
					if b.Platform == g.Platform && b.Category == g.Category {
						row(tw, []string{p.Policy + "-" + base.Policy, g.Platform, g.Category}, sub(cells(&g.Metrics), cells(&b.Metrics)), true)
					}
				}
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if err := writeInstalls(out, r); err != nil {
		return err
	}
	return writeFleets(out, r)
}

var installHeader = []string{"orders", "installed", "late", "unserved", "on_pref_day", "wait_p50_h", "wait_p90_h",
	"to_installed_p50_h", "to_installed_p90_h", "cost/install", "truck", "crew"}

func installCells(g *metrics.InstallReport) []string {
	return []string{fmt.Sprint(g.Orders), fmt.Sprint(g.Installed), fmt.Sprint(g.Late), fmt.Sprint(g.Unserved),
		fmt.Sprintf("%.3f", g.OnPreferredDay), fmt.Sprintf("%.1f", g.WaitHours.P50), fmt.Sprintf("%.1f", g.WaitHours.P90),
		fmt.Sprintf("%.1f", g.OrderToInstalledHours.P50), fmt.Sprintf("%.1f", g.OrderToInstalledHours.P90),
		fmt.Sprintf("%.2f", g.CostPerInstall), fmt.Sprintf("%.2f", g.DeliveryCost), fmt.Sprintf("%.2f", g.CrewCost)}
}

// writeInstalls prints the appliance-install view: per carrier and install model, then per product.
func writeInstalls(out io.Writer, r *metrics.Report) error {
	fmt.Fprintln(out, "\nappliance installs by carrier and install model (hours; cost in CNY per installed order)")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "policy\tcarrier\tmodel\t"+strings.Join(installHeader, "\t")+"\t")
	for i := range r.Policies {
		p := &r.Policies[i]
		for j := range p.InstallModels {
			g := &p.InstallModels[j]
			fmt.Fprintln(tw, strings.Join(append([]string{p.Policy, g.Carrier, g.Model}, installCells(g)...), "\t")+"\t")
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nappliance installs by platform x carrier x product")
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "policy\tplatform\tcarrier\tproduct\t"+strings.Join(installHeader, "\t")+"\t")
	for i := range r.Policies {
		p := &r.Policies[i]
		for j := range p.Installs {
			g := &p.Installs[j]
			fmt.Fprintln(tw, strings.Join(append([]string{p.Policy, g.Platform, g.Carrier, g.Product}, installCells(g)...), "\t")+"\t")
		}
	}
	return tw.Flush()
}

// writeFleets prints each fleet's utilisation.
func writeFleets(out io.Writer, r *metrics.Report) error {
	fmt.Fprintln(out, "\nfleet utilisation (booked / offered; vans and trucks: parcels in the waves that ran on days 0-1; crews: crew-minutes on day 1)")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "policy\tcarrier\tfleet\tunits/wave\tbooked\toffered\tutilisation\t")
	for i := range r.Policies {
		p := &r.Policies[i]
		for _, f := range p.Fleets {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f\t%.0f\t%.3f\t\n", p.Policy, f.Carrier, f.Fleet, f.UnitsPerWave, f.Booked, f.Offered, f.Utilisation)
		}
	}
	return tw.Flush()
}

func sub(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

// writeCarriers prints each carrier's share of every policy's orders, its baseline (today's) share and the
// change from the first policy in points of share: one row per carrier, a column per policy.
func writeCarriers(out io.Writer, r *metrics.Report) error {
	if len(r.Policies) == 0 || len(r.Policies[0].Carriers) == 0 {
		return nil // a report written before carriers were counted
	}
	base := &r.Policies[0]
	fmt.Fprintf(out, "\ncarrier shares (orders each carrier accepted / the policy's orders; baseline: the merchants' current carriers; change from %s)\n", base.Policy)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"carrier", "baseline"}
	for i := range r.Policies {
		head = append(head, r.Policies[i].Policy)
	}
	for i := 1; i < len(r.Policies); i++ {
		head = append(head, r.Policies[i].Policy+"-"+base.Policy)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for j, c := range base.Carriers {
		parts := []string{c.Carrier, fmt.Sprintf("%.3f", c.BaselineShare)}
		var shares, changes []string
		for i := range r.Policies {
			share, change := "-", "-"
			if cs := r.Policies[i].Carriers; j < len(cs) && cs[j].Carrier == c.Carrier {
				share, change = fmt.Sprintf("%.3f", cs[j].Share), fmt.Sprintf("%+.3f", cs[j].ShareChange)
			}
			shares = append(shares, share)
			if i > 0 {
				changes = append(changes, change)
			}
		}
		parts = append(append(parts, shares...), changes...)
		fmt.Fprintln(tw, strings.Join(parts, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeCarrierMoney(out, r)
}

// writeCarrierMoney writes each carrier's revenue, cost and margin under each policy, in thousand CNY; nothing
// for a report without money per carrier (written before it was counted, or a scenario without tariffs and
// costs).
func writeCarrierMoney(out io.Writer, r *metrics.Report) error {
	some := false
	for _, p := range r.Policies {
		for _, c := range p.Carriers {
			some = some || c.RevenueCNY != 0 || c.CostCNY != 0
		}
	}
	if !some {
		return nil
	}
	fmt.Fprintln(out, "\ncarrier money (thousand CNY: revenue at the carrier's tariff, cost with its fixed daily costs, margin)")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"carrier"}
	for _, p := range r.Policies {
		head = append(head, p.Policy+" revenue", "cost", "margin")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for j, c := range r.Policies[0].Carriers {
		parts := []string{c.Carrier}
		for _, p := range r.Policies {
			if j >= len(p.Carriers) || p.Carriers[j].Carrier != c.Carrier {
				parts = append(parts, "-", "-", "-")
				continue
			}
			m := p.Carriers[j]
			parts = append(parts, fmt.Sprintf("%.1f", m.RevenueCNY/1000), fmt.Sprintf("%.1f", m.CostCNY/1000), fmt.Sprintf("%+.1f", m.MarginCNY/1000))
		}
		fmt.Fprintln(tw, strings.Join(parts, "\t")+"\t")
	}
	return tw.Flush()
}
