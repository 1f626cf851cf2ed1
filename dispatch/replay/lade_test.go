package replay

import (
	"math"
	"sort"
	"strings"
	"testing"
	"time"
)

// percentile returns the p-quantile (0..1) of sorted xs by linear interpolation between closest ranks.
func percentile(sorted []float64, p float64) float64 {
	pos := p * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (pos-float64(i))*(sorted[i+1]-sorted[i])
}

// checkLaDe checks invariants every LaDe record must satisfy.
func checkLaDe(t *testing.T, recs []Record) {
	t.Helper()
	ids := make(map[string]bool, len(recs))
	for i, r := range recs {
		switch {
		case ids[r.ID]:
			t.Fatalf("record %d: repeated id %q", i, r.ID)
		case r.Category != CategoryParcel || r.Platform != "" || r.Merchant != "":
			t.Fatalf("record %d: category %q platform %q merchant %q, want parcel, empty, empty", i, r.Category, r.Platform, r.Merchant)
		case r.WeightKg != DefaultLaDeWeightKg || r.VolumeL != DefaultLaDeVolumeL:
			t.Fatalf("record %d: weight %g volume %g, want the LaDe defaults", i, r.WeightKg, r.VolumeL)
		case !r.Ready.Equal(r.Created) || r.Delivered.Before(r.Created):
			t.Fatalf("record %d: created %v ready %v delivered %v", i, r.Created, r.Ready, r.Delivered)
		case math.IsNaN(r.AcceptLon) != math.IsNaN(r.AcceptLat):
			t.Fatalf("record %d: accept GPS (%g, %g) half missing", i, r.AcceptLon, r.AcceptLat)
		case r.Courier == "" || r.Region == "" || r.AOI == "":
			t.Fatalf("record %d: courier %q region %q aoi %q", i, r.Courier, r.Region, r.AOI)
		}
		ids[r.ID] = true
	}
}

func TestReadLaDeRealFiles(t *testing.T) {
	tests := []struct {
		file          string
		rows          int
		p10, p50, p90 float64 // accept->delivery minutes, README STATS
		nextDay       int     // rows delivered on a later date than accepted
		missingGPS    int     // rows without an accept GPS fix (nan or junk)
	}{
		{"delivery_jl_union.csv", 13993, 53.2, 174, 387, 10, 406 + 3},
		{"delivery_jl_sample10k.csv", 10000, 53, 173, 387, 6, -1},
		{"fixtures/delivery_jl_union_ds0529.csv", 183, -1, -1, -1, 1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := ReadFile(ladeFile(t, tt.file), Options{Year: 2022})
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != FormatLaDe || len(res.Records) != tt.rows || res.Skipped != 0 {
				t.Fatalf("format %q, %d records, %d skipped; want lade, %d, 0", res.Format, len(res.Records), res.Skipped, tt.rows)
			}
			checkLaDe(t, res.Records)
			mins := make([]float64, len(res.Records))
			nextDay, missing := 0, 0
			for i, r := range res.Records {
				if r.Line != i+2 {
					t.Fatalf("record %d: line %d, want %d", i, r.Line, i+2)
				}
				if r.Created.Location() != cst || r.Created.Year() != 2022 {
					t.Fatalf("record %d: created %v, want 2022 in CST", i, r.Created)
				}
				mins[i] = r.Delivered.Sub(r.Created).Minutes()
				if r.Delivered.YearDay() != r.Created.YearDay() {
					nextDay++
				}
				if math.IsNaN(r.AcceptLon) {
					missing++
				}
			}
			if nextDay != tt.nextDay {
				t.Errorf("%d rows delivered on a later day, want %d", nextDay, tt.nextDay)
			}
			if tt.missingGPS >= 0 && missing != tt.missingGPS {
				t.Errorf("%d rows without accept GPS, want %d", missing, tt.missingGPS)
			}
			if tt.p10 < 0 {
				return
			}
			sort.Float64s(mins)
			t.Logf("accept->delivery minutes: p10 %.1f, p50 %.1f, p90 %.1f", percentile(mins, 0.1), percentile(mins, 0.5), percentile(mins, 0.9))
			for _, q := range []struct{ p, want float64 }{{0.1, tt.p10}, {0.5, tt.p50}, {0.9, tt.p90}} {
				if got := percentile(mins, q.p); math.Abs(got-q.want) > 1 {
					t.Errorf("accept->delivery p%.0f = %.1f min, want %.1f ± 1", q.p*100, got, q.want)
				}
			}
		})
	}
}

// TestReadLaDeDay checks the one-day fixture against what the README says of it: 183 parcels of 19
// couriers, all accepted on 29 May.
func TestReadLaDeDay(t *testing.T) {
	res, err := ReadFile(ladeFile(t, "fixtures/delivery_jl_union_ds0529.csv"), Options{Year: 2021, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	couriers := map[string]bool{}
	for _, r := range res.Records {
		couriers[r.Courier] = true
		if y, m, d := r.Created.Date(); y != 2021 || m != time.May || d != 29 || r.Created.Location() != time.UTC {
			t.Fatalf("line %d: created %v, want 2021-05-29 UTC", r.Line, r.Created)
		}
		if r.Lon < 126.4 || r.Lon > 126.8 || r.Lat < 43.7 || r.Lat > 44.3 {
			t.Fatalf("line %d: (%g, %g) outside Jilin city", r.Line, r.Lon, r.Lat)
		}
	}
	if len(couriers) != 19 {
		t.Errorf("%d couriers, want 19", len(couriers))
	}
	first := res.Records[0]
	want := Record{Line: 2, ID: "2754824", Category: CategoryParcel, Lon: 126.565, Lat: 43.82892,
		WeightKg: 1, VolumeL: 10, Courier: "75", Region: "53", AOI: "40932", AcceptLon: 126.5669, AcceptLat: 43.81228,
		Created:   time.Date(2021, 5, 29, 8, 21, 0, 0, time.UTC),
		Ready:     time.Date(2021, 5, 29, 8, 21, 0, 0, time.UTC),
		Delivered: time.Date(2021, 5, 29, 13, 46, 0, 0, time.UTC)}
	if first != want {
		t.Errorf("first record\n got %+v\nwant %+v", first, want)
	}
}

// TestLaDeYearRule checks that times take the year nearest their row's ds date.
func TestLaDeYearRule(t *testing.T) {
	in := ladeHeader +
		ladeRowWith("order_id", "1", "accept_time", "12-31 20:00:00", "delivery_time", "01-01 09:30:00", "ds", "1231") + "\n" +
		ladeRowWith("order_id", "2", "accept_time", "12-31 20:00:00", "delivery_time", "01-01 09:30:00", "ds", "0101") + "\n" +
		ladeRowWith("order_id", "3", "accept_time", "06-30 08:00:00", "delivery_time", "07-01 08:00:00", "ds", "0101") + "\n" +
		ladeRowWith("order_id", "4", "accept_time", "02-28 23:00:00", "delivery_time", "02-29 01:00:00", "ds", "0228") + "\n"
	res, err := Read(strings.NewReader(in), "y.csv", Options{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ created, delivered time.Time }{
		{time.Date(2024, 12, 31, 20, 0, 0, 0, cst), time.Date(2025, 1, 1, 9, 30, 0, 0, cst)},
		{time.Date(2023, 12, 31, 20, 0, 0, 0, cst), time.Date(2024, 1, 1, 9, 30, 0, 0, cst)},
		{time.Date(2024, 6, 30, 8, 0, 0, 0, cst), time.Date(2024, 7, 1, 8, 0, 0, 0, cst)},
		{time.Date(2024, 2, 28, 23, 0, 0, 0, cst), time.Date(2024, 2, 29, 1, 0, 0, 0, cst)},
	}
	for i, w := range want {
		r := res.Records[i]
		if !r.Created.Equal(w.created) || !r.Delivered.Equal(w.delivered) {
			t.Errorf("row %s: created %v delivered %v, want %v, %v", r.ID, r.Created, r.Delivered, w.created, w.delivered)
		}
	}
}

func TestLaDeAcceptGPS(t *testing.T) {
	tests := []struct {
		lng, lat         string
		wantLon, wantLat float64 // NaN: missing
	}{
		{"126.5669", "43.81228", 126.5669, 43.81228},
		{"nan", "nan", math.NaN(), math.NaN()},
		{"NaN", "43.8", math.NaN(), math.NaN()}, // half a fix is no fix
		{"", "", math.NaN(), math.NaN()},
		{"0", "0", math.NaN(), math.NaN()},
		{"-0.00009", "0.00005", math.NaN(), math.NaN()}, // junk seen in the Jilin file
		{"0.5", "0", 0.5, 0},                            // far enough from (0, 0) to be a position
	}
	for _, tt := range tests {
		in := ladeHeader + ladeRowWith("accept_gps_lng", tt.lng, "accept_gps_lat", tt.lat) + "\n"
		res, err := Read(strings.NewReader(in), "g.csv", Options{Year: 2022})
		if err != nil {
			t.Fatalf("(%q, %q): %v", tt.lng, tt.lat, err)
		}
		r := res.Records[0]
		if !sameFloat(r.AcceptLon, tt.wantLon) || !sameFloat(r.AcceptLat, tt.wantLat) {
			t.Errorf("(%q, %q): got (%g, %g), want (%g, %g)", tt.lng, tt.lat, r.AcceptLon, r.AcceptLat, tt.wantLon, tt.wantLat)
		}
	}
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// TestLaDeHeaderVariants checks that column order is free and extra or unused columns are ignored.
func TestLaDeHeaderVariants(t *testing.T) {
	in := "ds,lat,lng,order_id,region_id,courier_id,aoi_id,accept_time,accept_gps_lng,accept_gps_lat,delivery_time,note\n" +
		"0529,43.82892,126.565,2754824,53,75,40932,05-29 08:21:00,nan,nan,05-29 13:46:00,\"a, b\"\n"
	res, err := Read(strings.NewReader(in), "v.csv", Options{Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Records[0]
	if r.ID != "2754824" || r.Lon != 126.565 || r.Lat != 43.82892 || r.AOI != "40932" || !math.IsNaN(r.AcceptLon) {
		t.Errorf("got %+v", r)
	}
}
