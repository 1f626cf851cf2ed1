package scenario

import (
	"fmt"
	"math"
)

// Choice rules of Policy.Choice.
const (
	ChoiceBestQuote = "best_quote"
	ChoiceOverflow  = "overflow"
	ChoiceSticky    = "sticky"
)

// Carrier network models of Carrier.Network.
const (
	NetworkDirect    = "direct"
	NetworkFranchise = "franchise"
)

// AnyCarrier in an access rule's carriers stands for every carrier of the scenario.
const AnyCarrier = "*"

// MaxCarriers is the most carriers a scenario may have: access sets are bitmasks over the carriers.
const MaxCarriers = 64

// AccessRule is one row of a policy's access matrix: the orders its selector matches may use Carriers.
type AccessRule struct {
	Selector
	// Carriers are carrier ids, or "*" for every carrier.
	Carriers []string `json:"carriers"`
}

// BaselineRule is one part of a platform's current carrier mix: the orders of that merchant type and
// category (empty: any) are spread over Carriers by share.
type BaselineRule struct {
	Merchant string             `json:"merchant,omitempty"`
	Category string             `json:"category,omitempty"`
	Carriers map[string]float64 `json:"carriers"`
}

// Matches reports whether the rule applies to an order of that merchant type and category.
func (r *BaselineRule) Matches(firstParty bool, c Category) bool {
	return (r.Merchant == "" || r.Merchant == Merchant(firstParty)) && (r.Category == "" || r.Category == c.String())
}

// Shift is a named change of demand, such as the orders a payment opening brings to one platform. The
// networks stay as built for the unshifted demand: a shift tests who absorbs the change.
type Shift struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// PlatformShare adds to platforms' shares of the orders (points of share, e.g. 0.02); the changes must
	// add up to zero.
	PlatformShare map[string]float64 `json:"platform_share,omitempty"`
	// VolumeMultiplier scales platforms' orders (e.g. 1.05 for 5% more); the day's orders change with it.
	VolumeMultiplier map[string]float64 `json:"volume_multiplier,omitempty"`
}

// Serves reports whether the carrier has a fleet for category c (for appliance_install: an install crew,
// and in the split model a bulky truck to deliver the appliance first).
func (cr *Carrier) Serves(c Category) bool {
	has := func(cat Category) bool {
		for i := range cr.Fleets {
			for _, name := range cr.Fleets[i].Categories {
				if name == cat.String() {
					return true
				}
			}
		}
		return false
	}
	if c == ApplianceInstall && cr.InstallModel == Split {
		return has(c) && has(Bulky)
	}
	return has(c)
}

// CarrierIndex returns the index of the carrier with that id.
func (s *Scenario) CarrierIndex(id string) (int, bool) {
	for i := range s.Carriers {
		if s.Carriers[i].ID == id {
			return i, true
		}
	}
	return -1, false
}

// Allowed returns the carriers an order of that platform (an index into s.Platforms), merchant type and
// category may use, as a bitmask over s.Carriers: those of the first access rule that matches, else every
// carrier when an open selector matches, else the platform's home carrier.
func (p *Policy) Allowed(s *Scenario, platform int, firstParty bool, c Category) uint64 {
	id := s.Platforms[platform].ID
	for i := range p.Access {
		r := &p.Access[i]
		if !r.Matches(id, firstParty, c) {
			continue
		}
		var mask uint64
		for _, name := range r.Carriers {
			if name == AnyCarrier {
				return allCarriers(len(s.Carriers))
			}
			if ci, ok := s.CarrierIndex(name); ok {
				mask |= 1 << ci
			}
		}
		return mask
	}
	if p.Opens(s, platform, firstParty, c) {
		return allCarriers(len(s.Carriers))
	}
	home, ok := s.CarrierIndex(s.Platforms[platform].HomeCarrier)
	if !ok {
		return allCarriers(len(s.Carriers)) // a platform without a carrier of its own walls nothing off
	}
	return 1 << home
}

func allCarriers(n int) uint64 {
	if n >= 64 {
		return math.MaxUint64
	}
	return 1<<n - 1
}

// BaselineWeights returns the share of each carrier (in scenario order) among the orders of that platform
// (an index into s.Platforms), merchant type and category: the first matching baseline rule's shares over
// the carriers that serve the category, normalised to 1; nil when no rule gives any (the home carrier
// takes them).
func (s *Scenario) BaselineWeights(platform int, firstParty bool, c Category) []float64 {
	for _, r := range s.Platforms[platform].Baseline {
		if !r.Matches(firstParty, c) {
			continue
		}
		w := make([]float64, len(s.Carriers))
		var total float64
		for ci := range s.Carriers {
			if share := r.Carriers[s.Carriers[ci].ID]; share > 0 && s.Carriers[ci].Serves(c) {
				w[ci] = share
				total += share
			}
		}
		if total == 0 {
			return nil
		}
		for ci := range w {
			w[ci] /= total
		}
		return w
	}
	return nil
}

// ShiftByName returns the scenario's shift with that name.
func (s *Scenario) ShiftByName(name string) (*Shift, bool) {
	for i := range s.Shifts {
		if s.Shifts[i].Name == name {
			return &s.Shifts[i], true
		}
	}
	return nil, false
}

// Shifted returns a copy of the scenario with the named shift applied to its demand: platform shares moved
// by PlatformShare, then each platform's orders scaled by its VolumeMultiplier (shares renormalised, the
// peak multiplier scaled by the change in total orders). The networks of a world built from the unshifted
// scenario are meant to stay; only the orders change. An unknown name is an error naming the shifts.
func (s *Scenario) Shifted(name string) (*Scenario, error) {
	sh, ok := s.ShiftByName(name)
	if !ok {
		names := "none"
		if len(s.Shifts) > 0 {
			names = ""
			for i, x := range s.Shifts {
				if i > 0 {
					names += ", "
				}
				names += x.Name
			}
		}
		return nil, fmt.Errorf("unknown shift %q: scenario %s has %s", name, s.Name, names)
	}
	c := *s
	c.Platforms = append([]Platform(nil), s.Platforms...)
	var total float64
	for i := range c.Platforms {
		p := &c.Platforms[i]
		p.Share += sh.PlatformShare[p.ID]
		if m, ok := sh.VolumeMultiplier[p.ID]; ok {
			p.Share *= m
		}
		total += p.Share
	}
	for i := range c.Platforms {
		c.Platforms[i].Share /= total
	}
	c.Demand.PeakMultiplier *= total
	return &c, nil
}
