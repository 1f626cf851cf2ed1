package shard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/fixtures"
)

// ErrInput marks an error caused by the input (a national scenario, a plan, a partial, an index).
var ErrInput = errors.New("shard: bad input")

type inputError struct{ msg string }

func (e *inputError) Error() string        { return e.msg }
func (e *inputError) Is(target error) bool { return target == ErrInput }

func badInput(format string, args ...any) error { return &inputError{fmt.Sprintf(format, args...)} }

// National is a national scenario: which prefecture cities to simulate, how much demand each has and the
// city scenario (Template) every city is simulated with. docs/parameters.md explains every field.
type National struct {
	Version     int    `json:"version"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Template is an embedded scenario whose carriers, platforms, goods, policies, travel and routing every
	// city uses; its city is replaced by the prefecture city's circle.
	Template string `json:"template"`
	// Policies are run in every city, in report order.
	Policies []string `json:"policies"`
	// Seed is the national seed; each city's run seed and network seed are derived from it and the city's code.
	Seed uint64 `json:"seed"`
	// ParcelsPerYear and Population give the national average parcels per person-day; ParcelsPerPersonDay
	// overrides it by 2-digit province code where a province's own figure is sourced.
	ParcelsPerYear      float64            `json:"parcels_per_year"`
	Population          float64            `json:"population"`
	ParcelsPerPersonDay map[string]float64 `json:"province_parcels_per_person_day,omitempty"`
	// PeakMultiplier is the simulated day's volume over an ordinary day's (Double-11 2024: 1.51).
	PeakMultiplier float64 `json:"peak_multiplier"`
	// UrbanM2PerPerson sets a city's full-scale radius: its population's urban land as one disc.
	UrbanM2PerPerson float64 `json:"urban_m2_per_person"`
	// MinRadiusKm is the smallest circle simulated.
	MinRadiusKm float64 `json:"min_radius_km"`
	// Spread and UniformShare place destinations in the circle (the scenario's city fields).
	Spread       float64 `json:"spread"`
	UniformShare float64 `json:"uniform_share"`
	// OriginDistanceDecay is every city's gravity model of remote origins (scenario demand field of the same
	// name): the producing cities are all prefecture cities, weighted by mass × (km / 100)^-decay.
	OriginDistanceDecay float64 `json:"origin_distance_decay,omitempty"`
	// OriginShares are the producing cities' measured masses (scenario demand field of the same name).
	OriginShares map[string]float64 `json:"origin_shares,omitempty"`
	// Cities, when not empty, restricts the run to these prefecture cities (pinyin, Chinese name or code);
	// empty means all 337.
	Cities []string `json:"cities,omitempty"`
	// OrdersPerCity, when positive, gives every city this design volume at scale 1 instead of its
	// population's (small test scenarios).
	OrdersPerCity int `json:"orders_per_city,omitempty"`
}

// LoadNational returns the national scenario ref names: an embedded one (fixtures/national) or a file. It
// also returns a hash of the scenario and its template, which stamps plans.
func LoadNational(ref string) (*National, string, error) {
	b, ok := fixtures.National(ref)
	if !ok {
		var err error
		if b, err = os.ReadFile(ref); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, "", badInput("national scenario %q is neither embedded (china-double11, china-double11-small) nor a file", ref)
			}
			return nil, "", err
		}
	}
	var n National
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil {
		return nil, "", badInput("national scenario %s: %v", ref, err)
	}
	if err := n.Validate(); err != nil {
		return nil, "", badInput("national scenario %s: %v", ref, err)
	}
	tmpl, ok := scenario.EmbeddedJSON(n.Template)
	if !ok {
		return nil, "", badInput("national scenario %s: template: %q is not an embedded scenario", ref, n.Template)
	}
	sc, err := scenario.Load(n.Template)
	if err != nil {
		return nil, "", badInput("national scenario %s: template: %v", ref, err)
	}
	if _, err := sc.PoliciesNamed(n.Policies); err != nil {
		return nil, "", badInput("national scenario %s: policies: %v", ref, err)
	}
	h := sha256.New()
	h.Write(b)
	h.Write(tmpl)
	return &n, hex.EncodeToString(h.Sum(nil))[:16], nil
}

// Validate reports the first problem of the national scenario, with its field name.
func (n *National) Validate() error {
	switch {
	case n.Version != 1:
		return fmt.Errorf("version: expected 1, got %d", n.Version)
	case n.Name == "":
		return errors.New("name: empty")
	case n.Template == "":
		return errors.New("template: empty")
	case len(n.Policies) == 0:
		return errors.New("policies: expected at least one policy name")
	case n.ParcelsPerYear <= 0 || n.Population <= 0:
		return errors.New("parcels_per_year, population: expected positive numbers")
	case n.PeakMultiplier <= 0:
		return errors.New("peak_multiplier: expected a positive number")
	case n.UrbanM2PerPerson <= 0:
		return errors.New("urban_m2_per_person: expected a positive number")
	case n.MinRadiusKm < 1:
		return errors.New("min_radius_km: expected at least 1 (a city scenario's smallest circle)")
	case n.Spread <= 0 || n.UniformShare < 0 || n.UniformShare > 1:
		return errors.New("spread, uniform_share: expected spread > 0 and uniform_share in [0, 1]")
	case n.OrdersPerCity < 0:
		return errors.New("orders_per_city: expected 0 or a positive number")
	case !(n.OriginDistanceDecay >= 0 && n.OriginDistanceDecay <= 3):
		return fmt.Errorf("origin_distance_decay: expected a number within [0, 3], got %v", n.OriginDistanceDecay)
	}
	if err := scenario.ValidateOriginShares("origin_shares", n.OriginShares); err != nil {
		return err
	}
	for p, v := range n.ParcelsPerPersonDay {
		if len(p) != 2 || strings.Trim(p, "0123456789") != "" || v <= 0 {
			return fmt.Errorf("province_parcels_per_person_day[%q]: expected a 2-digit province code and a positive rate", p)
		}
	}
	return nil
}

// perPersonDay is the parcels a resident of province prov receives a day: the province's figure, else the
// national average.
func (n *National) perPersonDay(prov string) (float64, string) {
	if v, ok := n.ParcelsPerPersonDay[prov]; ok {
		return v, "province"
	}
	return n.ParcelsPerYear / 365 / n.Population, "national"
}

// templateHash is a short hash of an embedded scenario's JSON ("" when there is none).
func templateHash(name string) string {
	b, ok := scenario.EmbeddedJSON(name)
	if !ok {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])[:16]
}
