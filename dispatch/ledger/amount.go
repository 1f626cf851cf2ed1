package ledger

import (
	"fmt"
	"math"
)

// Amount is a capacity vector. Count: parcels or jobs; Volume: litres; Minutes: crew-minutes.
type Amount struct {
	Count   int64 // parcels or jobs
	Volume  int64 // litres
	Minutes int64 // crew-minutes
}

// Add returns the component-wise sum a + b.
func (a Amount) Add(b Amount) Amount {
	return Amount{Count: a.Count + b.Count, Volume: a.Volume + b.Volume, Minutes: a.Minutes + b.Minutes}
}

// Sub returns the component-wise difference a - b.
func (a Amount) Sub(b Amount) Amount {
	return Amount{Count: a.Count - b.Count, Volume: a.Volume - b.Volume, Minutes: a.Minutes - b.Minutes}
}

// Covers reports whether a has room for need in every dimension.
func (a Amount) Covers(need Amount) bool {
	return a.Count >= need.Count && a.Volume >= need.Volume && a.Minutes >= need.Minutes
}

// IsZero reports whether every dimension of a is zero.
func (a Amount) IsZero() bool {
	return a == Amount{}
}

// isNegative reports whether any dimension of a is below zero.
func (a Amount) isNegative() bool {
	return a.Count < 0 || a.Volume < 0 || a.Minutes < 0
}

// MaxQuantity is the largest value Ceil and Amount.Times produce and Amount.Check accepts: 2^53, the largest
// integer below which every integer is exactly a float64. Any 1024 such quantities still sum without
// overflowing an int64, so a caller may total a few reservations safely.
const MaxQuantity = 1 << 53

// Ceil converts a measured quantity (litres, kilograms, minutes) to the ledger's whole units, rounding up so
// that a reservation never takes less than what was measured.
//
// It fails with ErrBadAmount for a negative quantity or NaN and with ErrTooLarge for one above MaxQuantity
// (+Inf included), instead of the undefined result of converting such a float64 to int64. Ceil allocates only
// when it fails.
func Ceil(x float64) (int64, error) {
	switch {
	case x != x || x < 0:
		return 0, fmt.Errorf("%w: quantity %g", ErrBadAmount, x)
	case x > MaxQuantity:
		return 0, fmt.Errorf("%w: quantity %g is above %d", ErrTooLarge, x, int64(MaxQuantity))
	}
	return int64(math.Ceil(x)), nil
}

// Times returns a with every dimension multiplied by n, e.g. one vehicle's capacity by the fleet's size.
//
// It fails with ErrBadAmount when n or a dimension of a is negative and with ErrTooLarge when a product is
// above MaxQuantity, never wrapping around. Times allocates only when it fails.
func (a Amount) Times(n int64) (Amount, error) {
	if n < 0 {
		return Amount{}, fmt.Errorf("%w: factor %d", ErrBadAmount, n)
	}
	if err := a.Check(); err != nil {
		return Amount{}, err
	}
	if n > 0 && (a.Count > MaxQuantity/n || a.Volume > MaxQuantity/n || a.Minutes > MaxQuantity/n) {
		return Amount{}, fmt.Errorf("%w: %+v times %d is above %d", ErrTooLarge, a, n, int64(MaxQuantity))
	}
	return Amount{Count: a.Count * n, Volume: a.Volume * n, Minutes: a.Minutes * n}, nil
}

// Check reports whether every dimension of a is within [0, MaxQuantity]: ErrBadAmount for a negative
// dimension, ErrTooLarge for one above MaxQuantity. It allocates only when it fails.
func (a Amount) Check() error {
	if a.isNegative() {
		return fmt.Errorf("%w: %+v", ErrBadAmount, a)
	}
	if a.Count > MaxQuantity || a.Volume > MaxQuantity || a.Minutes > MaxQuantity {
		return fmt.Errorf("%w: %+v is above %d", ErrTooLarge, a, int64(MaxQuantity))
	}
	return nil
}
