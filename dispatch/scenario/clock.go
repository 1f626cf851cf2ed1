package scenario

import (
	"encoding/json"
	"fmt"
	"math"
)

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

// Minutes is the simulation's one time type: minutes since 00:00, China Standard Time, of the simulated day
// (day 0; warm-up days are negative), or a duration in minutes. The capacity ledger keys its slots by whole
// minutes (int64) of the same clock; a Clock is a time of day.
type Minutes float64

// Day is the length of a day in minutes (untyped, so it scales Minutes and ledger slots alike).
const Day = 1440

// DayOf is the day m falls on (0 for the simulated day, negative for warm-up days).
func (m Minutes) DayOf() int64 { return int64(math.Floor(float64(m) / Day)) }

// String formats m as "day D HH:MM".
func (m Minutes) String() string {
	d := m.DayOf()
	c := int(float64(m) - float64(d*Day))
	return fmt.Sprintf("day %d %02d:%02d", d, c/60, c%60)
}
