package scenario

import (
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
