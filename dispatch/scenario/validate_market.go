package scenario

import (
	"fmt"
	"math"
	"slices"
)

// validateCarrierMarket checks a carrier's market fields: network model, national share, price premium.
func (s *Scenario) validateCarrierMarket(p *problems, path string, cr *Carrier) {
	switch cr.Network {
	case "", NetworkDirect, NetworkFranchise:
	default:
		p.add(path+".network", "must be %q or %q, got %q", NetworkDirect, NetworkFranchise, cr.Network)
	}
	p.share(path+".national_share", cr.NationalShare)
	p.nonNeg(path+".price_premium_cny", cr.PricePremiumCNY)
}

// validateBaseline checks a platform's current carrier mix: known carriers, shares adding up to 1, and
// carriers that serve the rule's category.
func (s *Scenario) validateBaseline(p *problems, path string, pl *Platform, carrierIdx map[string]int) {
	for j := range pl.Baseline {
		r := &pl.Baseline[j]
		rp := fmt.Sprintf("%s.baseline[%d]", path, j)
		if r.Merchant != "" && r.Merchant != "1p" && r.Merchant != "3p" {
			p.add(rp+".merchant", "must be \"1p\" or \"3p\", got %q", r.Merchant)
		}
		cat, catErr := Parcel, error(nil)
		if r.Category != "" {
			if cat, catErr = ParseCategory(r.Category); catErr != nil {
				p.add(rp+".category", "%v", catErr)
			}
		}
		if len(r.Carriers) == 0 {
			p.add(rp+".carriers", "must give at least one carrier a share")
		}
		var sum float64
		for _, id := range sortedKeys(r.Carriers) {
			cp := rp + ".carriers." + id
			p.share(cp, r.Carriers[id])
			sum += r.Carriers[id]
			ci, ok := carrierIdx[id]
			if !ok {
				p.add(cp, "must be one of the carriers' ids")
				continue
			}
			if r.Category != "" && catErr == nil && r.Carriers[id] > 0 && !s.Carriers[ci].Serves(cat) {
				p.add(cp, "carrier %s has no fleet for %s", id, r.Category)
			}
		}
		if len(r.Carriers) > 0 && math.Abs(sum-1) > 1e-6 {
			p.add(rp+".carriers", "shares must add up to 1, got %v", sum)
		}
	}
	if pl.HomeCarrier != "" {
		return
	}
	// Without a home carrier, every order the platform can have needs a baseline carrier.
	for m, share := range [2]float64{1 - pl.FirstParty, pl.FirstParty} {
		for _, c := range Categories() {
			if share <= 0 || pl.Mix[c.String()] <= 0 {
				continue
			}
			pi := slices.IndexFunc(s.Platforms, func(q Platform) bool { return q.ID == pl.ID })
			if s.BaselineWeights(pi, m == 1, c) == nil {
				p.add(path+".baseline", "gives no carrier serving %s orders of %s merchants, and the platform has no home_carrier", c, Merchant(m == 1))
			}
		}
	}
}

// validateSelector checks one selector of a policy's open list or access matrix.
func validateSelector(p *problems, path string, sel *Selector, platformIdx map[string]bool) {
	if sel.Platform != "" && !platformIdx[sel.Platform] {
		p.add(path+".platform", "must be one of the platforms' ids, got %q", sel.Platform)
	}
	if sel.Merchant != "" && sel.Merchant != "1p" && sel.Merchant != "3p" {
		p.add(path+".merchant", "must be \"1p\" or \"3p\", got %q", sel.Merchant)
	}
	if sel.Category != "" {
		if _, err := ParseCategory(sel.Category); err != nil {
			p.add(path+".category", "%v", err)
		}
	}
}

// validateAccess checks a policy's access matrix: selectors and carrier lists.
func validateAccess(p *problems, path string, rules []AccessRule, platformIdx map[string]bool, carrierIdx map[string]int) {
	for j := range rules {
		r := &rules[j]
		rp := fmt.Sprintf("%s.access[%d]", path, j)
		validateSelector(p, rp, &r.Selector, platformIdx)
		if len(r.Carriers) == 0 {
			p.add(rp+".carriers", "must list at least one carrier id (or \"*\" for every carrier)")
		}
		seen := map[string]bool{}
		for k, id := range r.Carriers {
			cp := fmt.Sprintf("%s.carriers[%d]", rp, k)
			if _, ok := carrierIdx[id]; !ok && id != AnyCarrier {
				p.add(cp, "must be one of the carriers' ids or \"*\", got %q", id)
			}
			if seen[id] {
				p.add(cp, "carrier %q is listed twice", id)
			}
			seen[id] = true
		}
	}
}

// validateShifts checks the named demand shifts against the platforms.
func (s *Scenario) validateShifts(p *problems, platformIdx map[string]bool) {
	names := map[string]bool{}
	for i := range s.Shifts {
		sh := &s.Shifts[i]
		path := fmt.Sprintf("shifts[%d]", i)
		p.unique(path+".name", "shift name", sh.Name, names)
		var sum float64
		for _, id := range sortedKeys(sh.PlatformShare) {
			d := sh.PlatformShare[id]
			sum += d
			if !platformIdx[id] {
				p.add(path+".platform_share."+id, "must be one of the platforms' ids")
				continue
			}
			for _, pl := range s.Platforms {
				if pl.ID == id && !(pl.Share+d >= 0 && pl.Share+d <= 1) {
					p.add(path+".platform_share."+id, "moves the share %v outside [0, 1] (by %v)", pl.Share, d)
				}
			}
		}
		if math.Abs(sum) > 1e-6 {
			p.add(path+".platform_share", "changes must add up to 0, got %v", sum)
		}
		for _, id := range sortedKeys(sh.VolumeMultiplier) {
			if !platformIdx[id] {
				p.add(path+".volume_multiplier."+id, "must be one of the platforms' ids")
			}
			m := sh.VolumeMultiplier[id]
			if !(m > 0 && m <= 10) {
				p.add(path+".volume_multiplier."+id, "must be within (0, 10], got %v", m)
			}
		}
	}
}
