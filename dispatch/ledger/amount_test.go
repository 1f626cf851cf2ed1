package ledger

import (
	"errors"
	"math"
	"testing"
)

func TestAmountArithmetic(t *testing.T) {
	tests := []struct {
		name     string
		a, b     Amount
		sum, dif Amount
	}{
		{"zero", Amount{}, Amount{}, Amount{}, Amount{}},
		{"count only", Amount{Count: 5}, Amount{Count: 2}, Amount{Count: 7}, Amount{Count: 3}},
		{"every dimension", Amount{1, 20, 300}, Amount{4, 5, 6}, Amount{5, 25, 306}, Amount{-3, 15, 294}},
		{"negative operand", Amount{1, 1, 1}, Amount{-1, -2, -3}, Amount{0, -1, -2}, Amount{2, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Add(tt.b); got != tt.sum {
				t.Errorf("%+v.Add(%+v) = %+v, want %+v", tt.a, tt.b, got, tt.sum)
			}
			if got := tt.a.Sub(tt.b); got != tt.dif {
				t.Errorf("%+v.Sub(%+v) = %+v, want %+v", tt.a, tt.b, got, tt.dif)
			}
			if got := tt.a.Add(tt.b).Sub(tt.b); got != tt.a {
				t.Errorf("%+v.Add(b).Sub(b) = %+v, want a back", tt.a, got)
			}
		})
	}
}

func TestAmountCovers(t *testing.T) {
	tests := []struct {
		name      string
		a, need   Amount
		want      bool
		wantIsNeg bool // of need
	}{
		{"zero covers zero", Amount{}, Amount{}, true, false},
		{"equal", Amount{2, 30, 90}, Amount{2, 30, 90}, true, false},
		{"more in every dimension", Amount{3, 31, 91}, Amount{2, 30, 90}, true, false},
		{"count short", Amount{1, 30, 90}, Amount{2, 30, 90}, false, false},
		{"volume short", Amount{2, 29, 90}, Amount{2, 30, 90}, false, false},
		{"minutes short", Amount{2, 30, 89}, Amount{2, 30, 90}, false, false},
		{"zero does not cover one parcel", Amount{}, Amount{Count: 1}, false, false},
		{"negative need is covered", Amount{}, Amount{Volume: -1}, true, true},
		{"negative count need", Amount{}, Amount{Count: -1}, true, true},
		{"negative minutes need", Amount{}, Amount{Minutes: -1}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Covers(tt.need); got != tt.want {
				t.Errorf("%+v.Covers(%+v) = %v, want %v", tt.a, tt.need, got, tt.want)
			}
			if got := tt.need.isNegative(); got != tt.wantIsNeg {
				t.Errorf("%+v.isNegative() = %v, want %v", tt.need, got, tt.wantIsNeg)
			}
		})
	}
}

func TestAmountIsZero(t *testing.T) {
	tests := []struct {
		a    Amount
		want bool
	}{
		{Amount{}, true},
		{Amount{Count: 1}, false},
		{Amount{Volume: -1}, false},
		{Amount{Minutes: 1}, false},
	}
	for _, tt := range tests {
		if got := tt.a.IsZero(); got != tt.want {
			t.Errorf("%+v.IsZero() = %v, want %v", tt.a, got, tt.want)
		}
	}
}

func TestCeil(t *testing.T) {
	tests := []struct {
		x       float64
		want    int64
		wantErr error
	}{
		{0, 0, nil},
		{0.2, 1, nil},
		{30, 30, nil},
		{30.000001, 31, nil},
		{MaxQuantity, MaxQuantity, nil},
		{MaxQuantity + 2, 0, ErrTooLarge},
		{1e16, 0, ErrTooLarge},
		{1e19, 0, ErrTooLarge},
		{1e308, 0, ErrTooLarge},
		{math.Inf(1), 0, ErrTooLarge},
		{-0.5, 0, ErrBadAmount},
		{math.Inf(-1), 0, ErrBadAmount},
		{math.NaN(), 0, ErrBadAmount},
	}
	for _, tt := range tests {
		got, err := Ceil(tt.x)
		if !errors.Is(err, tt.wantErr) || got != tt.want {
			t.Errorf("Ceil(%g) = %d, %v; want %d, %v", tt.x, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestAmountTimes(t *testing.T) {
	tests := []struct {
		name    string
		a       Amount
		n       int64
		want    Amount
		wantErr error
	}{
		{"zero fleet", Amount{4, 400, 480}, 0, Amount{}, nil},
		{"fleet of three", Amount{4, 400, 480}, 3, Amount{12, 1200, 1440}, nil},
		{"up to the limit", Amount{Volume: MaxQuantity / 4}, 4, Amount{Volume: MaxQuantity}, nil},
		{"past the limit", Amount{Volume: MaxQuantity/4 + 1}, 4, Amount{}, ErrTooLarge},
		{"would wrap around", Amount{Count: 1 << 40}, 1 << 40, Amount{}, ErrTooLarge},
		{"operand too large", Amount{Minutes: MaxQuantity + 1}, 1, Amount{}, ErrTooLarge},
		{"negative factor", Amount{Count: 1}, -1, Amount{}, ErrBadAmount},
		{"negative operand", Amount{Volume: -1}, 2, Amount{}, ErrBadAmount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.Times(tt.n)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("%+v.Times(%d) = %+v, %v; want %+v, %v", tt.a, tt.n, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestAmountCheck(t *testing.T) {
	tests := []struct {
		a       Amount
		wantErr error
	}{
		{Amount{}, nil},
		{Amount{MaxQuantity, MaxQuantity, MaxQuantity}, nil},
		{Amount{Count: MaxQuantity + 1}, ErrTooLarge},
		{Amount{Volume: math.MaxInt64}, ErrTooLarge},
		{Amount{Minutes: -1}, ErrBadAmount},
		{Amount{Volume: math.MinInt64}, ErrBadAmount},
	}
	for _, tt := range tests {
		if err := tt.a.Check(); !errors.Is(err, tt.wantErr) {
			t.Errorf("%+v.Check() = %v, want %v", tt.a, err, tt.wantErr)
		}
	}
}
