package scenario

import (
	"encoding/json"
	"fmt"
)

// Category is the kind of goods an order carries; it decides the fleet and the promise.
type Category uint8

// The categories of CONTRACT.md.
const (
	Parcel           Category = iota // small parcel, handed over at the door
	Bulky                            // large item on a truck, no installation
	ApplianceInstall                 // large appliance or furniture delivered and installed by a 2-person crew
	NumCategories
)

var categoryNames = [NumCategories]string{"parcel", "bulky", "appliance_install"}

// Categories lists every category in report order.
func Categories() []Category { return []Category{Parcel, Bulky, ApplianceInstall} }

func (c Category) String() string {
	if c < NumCategories {
		return categoryNames[c]
	}
	return fmt.Sprintf("category(%d)", uint8(c))
}

// ParseCategory returns the category with the given CONTRACT.md name.
func ParseCategory(s string) (Category, error) {
	for i, n := range categoryNames {
		if n == s {
			return Category(i), nil
		}
	}
	return 0, fmt.Errorf("unknown category %q (want parcel, bulky or appliance_install)", s)
}

// MarshalText writes the category's name.
func (c Category) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a category name.
func (c *Category) UnmarshalText(b []byte) error {
	v, err := ParseCategory(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

var _ json.Marshaler = Clock(0)

// Clock is a time of day in minutes after midnight, written "HH:MM" in scenario files.
type Clock int

// ParseClock reads "HH:MM" (00:00 to 23:59).
func ParseClock(s string) (Clock, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("want a time of day \"HH:MM\", got %q", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h > 23 || m > 59 || h < 0 || m < 0 {
		return 0, fmt.Errorf("want a time of day \"HH:MM\", got %q", s)
	}
	return Clock(h*60 + m), nil
}

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalJSON writes "HH:MM".
func (c Clock) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// UnmarshalJSON reads "HH:MM".
func (c *Clock) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a time of day \"HH:MM\"")
	}
	v, err := ParseClock(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Day is the length of a day in simulation minutes. Simulation time is minutes (float64) since 00:00, China
// Standard Time, of the simulated day (day 0); warm-up days are negative. The capacity ledger keys slots by
// whole minutes (int64) of the same clock.
const Day = 1440.0
