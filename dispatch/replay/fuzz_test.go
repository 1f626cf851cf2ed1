package replay

import (
	"bytes"
	"errors"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
)

// fileLine is how every error and problem must begin.
var fileLine = regexp.MustCompile(`^fuzz\.csv:[1-9][0-9]*: `)

// fuzzRead reads data with and without SkipBadRows and checks what every read must satisfy: no panic,
// errors that name the file and a line and wrap a sentinel, valid records, and agreement between modes.
func fuzzRead(t *testing.T, data []byte, opt Options) *Result {
	opt.SkipBadRows = false
	res, err := Read(bytes.NewReader(data), "fuzz.csv", opt)
	opt.SkipBadRows = true
	skip, skipErr := Read(bytes.NewReader(data), "fuzz.csv", opt)

	for _, e := range []error{err, skipErr} {
		if e == nil {
			continue
		}
		if !fileLine.MatchString(e.Error()) {
			t.Fatalf("error does not name the file and a line: %q", e)
		}
		if !errors.Is(e, ErrBadRow) && !errors.Is(e, ErrHeader) && !errors.Is(e, ErrOptions) {
			t.Fatalf("error wraps no sentinel: %q", e)
		}
	}
	switch {
	case err == nil && (skipErr != nil || skip.Skipped != 0 || len(skip.Records) != len(res.Records)):
		t.Fatalf("good file: with SkipBadRows got %v, skipped %d", skipErr, skip.Skipped)
	case errors.Is(err, ErrBadRow) && (skipErr != nil || skip.Skipped == 0):
		t.Fatalf("bad row %q: with SkipBadRows got %v, skipped %d", err, skipErr, skip.Skipped)
	case err != nil && !errors.Is(err, ErrBadRow) && (skipErr == nil || skipErr.Error() != err.Error()):
		t.Fatalf("header error %q: with SkipBadRows got %v", err, skipErr)
	}
	if skipErr != nil {
		return nil
	}
	if len(skip.Problems) > skip.Skipped || len(skip.Problems) > DefaultMaxErrors {
		t.Fatalf("%d problems for %d skipped rows", len(skip.Problems), skip.Skipped)
	}
	for _, p := range skip.Problems {
		if !fileLine.MatchString(p) {
			t.Fatalf("problem does not name the file and a line: %q", p)
		}
	}
	checkRecords(t, skip)
	return skip
}

func checkRecords(t *testing.T, res *Result) {
	ids := map[string]bool{}
	prev := 1
	for _, r := range res.Records {
		switch {
		case r.Line <= prev:
			t.Fatalf("line %d after line %d", r.Line, prev)
		case r.ID == "" || ids[r.ID]:
			t.Fatalf("line %d: empty or repeated id %q", r.Line, r.ID)
		case !(r.Lon >= -180 && r.Lon <= 180 && r.Lat >= -90 && r.Lat <= 90):
			t.Fatalf("line %d: destination (%g, %g)", r.Line, r.Lon, r.Lat)
		case r.Created.IsZero():
			t.Fatalf("line %d: no creation time", r.Line)
		case !r.Ready.IsZero() && r.Ready.Before(r.Created):
			t.Fatalf("line %d: ready %v before created %v", r.Line, r.Ready, r.Created)
		case r.Category != CategoryParcel && r.Category != CategoryBulky && r.Category != CategoryApplianceInstall:
			t.Fatalf("line %d: category %q", r.Line, r.Category)
		case !(r.WeightKg >= 0 && r.VolumeL >= 0 && r.InstallMinutes >= 0) || math.IsInf(r.WeightKg+r.VolumeL+r.InstallMinutes, 0):
			t.Fatalf("line %d: weight %g volume %g install %g", r.Line, r.WeightKg, r.VolumeL, r.InstallMinutes)
		}
		if res.Format == FormatLaDe {
			if r.Delivered.Before(r.Created) {
				t.Fatalf("line %d: delivered %v before accept %v", r.Line, r.Delivered, r.Created)
			}
			if !math.IsNaN(r.AcceptLon) && !(r.AcceptLon >= -180 && r.AcceptLon <= 180 && r.AcceptLat >= -90 && r.AcceptLat <= 90) {
				t.Fatalf("line %d: accept GPS (%g, %g)", r.Line, r.AcceptLon, r.AcceptLat)
			}
		}
		ids[r.ID] = true
		prev = r.Line
	}
}

func FuzzReadLaDe(f *testing.F) {
	f.Add([]byte(ladeHeader + ladeRow + "\n"))
	f.Add([]byte(ladeHeader + ladeRowWith("accept_time", "12-31 20:00:00", "delivery_time", "01-01 09:00:00", "ds", "1231") + "\n"))
	f.Add([]byte(ladeHeader + ladeRowWith("accept_gps_lng", "nan", "accept_gps_lat", "nan") + "\r\n" + ladeRow + "\r\n"))
	f.Add([]byte("\ufeff" + ladeHeader + ladeRowWith("delivery_time", "05-29 08:00:00") + "\n\n\"" + ladeRow + "\"\n"))
	if data, err := os.ReadFile(ladeDir + "/fixtures/delivery_jl_union_ds0529.csv"); err == nil {
		lines := strings.SplitAfter(string(data), "\n")
		f.Add([]byte(strings.Join(lines[:12], "")))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Options{Year: 2022})
	})
}

func FuzzReadGeneric(f *testing.F) {
	f.Add([]byte(genericHeader + genericRow + "\n"))
	f.Add([]byte(genericHeader + genericRowWith("category", "appliance_install", "install_minutes", "45") + "\n"))
	f.Add([]byte("\ufeffid,lat,lon,platform,merchant,created_at,category,weight_kg,volume_m3\r\n\"a\"\"1\",39.9,116.4,jd,,2024-06-18T09:30:00Z,bulky,20,0.3\r\n"))
	f.Add([]byte(genericHeader + genericRowWith("ready_at", "2024-06-18T01:00:00Z") + "\n" + genericRow + "\n"))
	if data, err := os.ReadFile("testdata/orders-example.csv"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Options{})
	})
}
