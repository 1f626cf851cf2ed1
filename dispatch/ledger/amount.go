package ledger

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
