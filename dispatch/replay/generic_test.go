package replay

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"
)

func TestReadGenericExample(t *testing.T) {
	res, err := ReadFile("testdata/orders-example.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != FormatGeneric || len(res.Records) != 10 || res.Skipped != 0 || res.Problems != nil {
		t.Fatalf("got format %q, %d records, %d skipped, problems %q", res.Format, len(res.Records), res.Skipped, res.Problems)
	}
	for _, r := range res.Records {
		if r.Lon < 116.3 || r.Lon > 116.5 || r.Lat < 39.85 || r.Lat > 40.0 {
			t.Errorf("line %d: (%g, %g) outside the example's Beijing box", r.Line, r.Lon, r.Lat)
		}
		if r.Courier != "" || !r.Delivered.IsZero() || r.AcceptLon != 0 || r.AcceptLat != 0 {
			t.Errorf("line %d: observed fields set in a generic file: %+v", r.Line, r)
		}
	}
	plus8 := time.FixedZone("", 8*60*60)
	tests := []Record{
		{Line: 2, ID: "bj-0001", Platform: "jd", Merchant: "1p", Category: CategoryParcel,
			Created: time.Date(2024, 6, 18, 8, 5, 0, 0, plus8), Ready: time.Date(2024, 6, 18, 10, 30, 0, 0, plus8),
			Lon: 116.3975, Lat: 39.9087, WeightKg: 0.8, VolumeL: 4},
		{Line: 4, ID: "bj-0003", Platform: "jd", Merchant: "1p", Category: CategoryApplianceInstall,
			Created: time.Date(2024, 6, 18, 8, 40, 0, 0, plus8), Ready: time.Date(2024, 6, 18, 14, 0, 0, 0, plus8),
			Lon: 116.3312, Lat: 39.9821, WeightKg: 62, VolumeL: 450, InstallMinutes: 90},
		{Line: 5, ID: "bj-0004", Platform: "pinduoduo", Merchant: "3p", Category: CategoryParcel, // empty merchant
			Created: time.Date(2024, 6, 18, 9, 2, 0, 0, plus8), Lon: 116.4866, Lat: 39.8712, WeightKg: 0.3, VolumeL: 2},
		{Line: 10, ID: "bj-0009", Platform: "pinduoduo", Merchant: "3p", Category: CategoryBulky, // zone Z
			Created: time.Date(2024, 6, 18, 4, 20, 0, 0, time.UTC), Lon: 116.3789, Lat: 39.9250, WeightKg: 15, VolumeL: 160},
	}
	for _, want := range tests {
		got := res.Records[want.Line-2]
		if !equalRecord(got, want) {
			t.Errorf("line %d\n got %+v\nwant %+v", want.Line, got, want)
		}
	}
	if got := res.Records[8].Created.Location(); got != time.UTC {
		t.Errorf("bj-0009 created in %v, want UTC as written", got)
	}
}

// equalRecord compares records with times by instant and volumes to 1e-9 litres.
func equalRecord(a, b Record) bool {
	ta, tb := [3]time.Time{a.Created, a.Ready, a.Delivered}, [3]time.Time{b.Created, b.Ready, b.Delivered}
	for i := range ta {
		if !ta[i].Equal(tb[i]) {
			return false
		}
	}
	if d := a.VolumeL - b.VolumeL; d > 1e-9 || d < -1e-9 {
		return false
	}
	a.Created, a.Ready, a.Delivered, a.VolumeL = b.Created, b.Ready, b.Delivered, b.VolumeL
	return a == b
}

// TestReadGenericLayout checks the tolerated layouts: free column order, optional columns absent, BOM,
// CRLF, blank lines (counted in line numbers) and quoted fields.
func TestReadGenericLayout(t *testing.T) {
	in := "\ufeffcategory,volume_m3,weight_kg,lat,lon,created_at,merchant,platform,id\r\n" +
		"\r\n" +
		"bulky,0.2,30,39.95,116.35,2024-06-18T09:30:00+08:00,,taobao,\"a,1\"\r\n" +
		"\r\n" +
		"parcel,0,0,39.9,116.4,2024-06-18T09:31:00.5+08:00,1p,jd_1p-x,a2\r\n"
	res, err := Read(strings.NewReader(in), "l.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 2 {
		t.Fatalf("%d records, want 2", len(res.Records))
	}
	a, b := res.Records[0], res.Records[1]
	if a.Line != 3 || a.ID != "a,1" || a.Category != CategoryBulky || a.VolumeL != 200 || a.Merchant != "3p" || !a.Ready.IsZero() {
		t.Errorf("first record %+v", a)
	}
	if b.Line != 5 || b.Platform != "jd_1p-x" || b.Created.Nanosecond() != 5e8 || b.InstallMinutes != 0 {
		t.Errorf("second record %+v", b)
	}
}

func TestSkipBadRows(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(genericHeader)
	sb.WriteString(genericRowWith("id", "dup") + "\n")                  // line 2: good
	sb.WriteString(genericRowWith("id", "x", "lon", "999") + "\n")      // line 3: bad
	sb.WriteString(genericRowWith("id", "dup") + "\n")                  // line 4: repeated id
	sb.WriteString("short,row\n")                                       // line 5: bad
	sb.WriteString(genericRowWith("id", "x") + "\n")                    // line 6: good; x was skipped, not claimed
	sb.WriteString(genericRowWith("id", "y", "category", "box") + "\n") // line 7: bad
	in := sb.String()

	res, err := Read(strings.NewReader(in), "s.csv", Options{SkipBadRows: true, MaxErrors: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped != 4 || len(res.Records) != 2 || res.Records[0].Line != 2 || res.Records[1].Line != 6 {
		t.Errorf("Skipped %d, records %+v; want 4 skipped, lines 2 and 6", res.Skipped, res.Records)
	}
	want := []string{
		`s.csv:3: lon: expected a longitude in [-180, 180], got "999"`,
		`s.csv:4: id: expected an id not used before (first on line 2), got "dup"`,
	}
	if fmt.Sprint(res.Problems) != fmt.Sprint(want) {
		t.Errorf("Problems\n got %q\nwant %q", res.Problems, want)
	}

	// Without SkipBadRows the first bad row fails the read.
	if _, err := Read(strings.NewReader(in), "s.csv", Options{}); err == nil || err.Error() != want[0] {
		t.Errorf("without SkipBadRows: error %v, want %s", err, want[0])
	}

	// MaxErrors 0 keeps DefaultMaxErrors messages and still counts every bad row.
	sb.Reset()
	sb.WriteString(genericHeader)
	for i := 0; i < 30; i++ {
		sb.WriteString(genericRowWith("id", fmt.Sprint(i), "weight_kg", "-1") + "\n")
	}
	res, err = Read(strings.NewReader(sb.String()), "s.csv", Options{SkipBadRows: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped != 30 || len(res.Problems) != DefaultMaxErrors || len(res.Records) != 0 {
		t.Errorf("Skipped %d, %d problems, %d records; want 30, %d, 0", res.Skipped, len(res.Problems), len(res.Records), DefaultMaxErrors)
	}
	if got, want := res.Problems[19], `s.csv:21: weight_kg: expected a number within [0, 50000], got "-1"`; got != want {
		t.Errorf("Problems[19] = %s, want %s", got, want)
	}
}

// TestSkipMalformedCSV checks that reading goes on after a CSV syntax error.
func TestSkipMalformedCSV(t *testing.T) {
	in := ladeHeader + ladeRowWith("order_id", "1") + "\n" +
		ladeRowWith("order_id", "2", "city", `Ji"lin`) + "\n" +
		ladeRowWith("order_id", "3") + "\n"
	res, err := Read(strings.NewReader(in), "m.csv", Options{Year: 2022, SkipBadRows: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped != 1 || len(res.Records) != 2 || res.Records[1].ID != "3" || res.Records[1].Line != 4 {
		t.Errorf("Skipped %d, records %+v", res.Skipped, res.Records)
	}
	if want := `m.csv:3: malformed CSV: bare " in non-quoted-field (byte 8 of the line)`; res.Problems[0] != want {
		t.Errorf("problem %s, want %s", res.Problems[0], want)
	}
}

// failingReader returns its data, then err.
type failingReader struct {
	data string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadIOError(t *testing.T) {
	boom := errors.New("disk on fire")
	in := genericHeader + genericRowWith("id", "a") + "\n" + genericRowWith("id", "b") + "\n"
	_, err := Read(&failingReader{in, boom}, "io.csv", Options{SkipBadRows: true})
	if err == nil || !errors.Is(err, boom) || err.Error() != "io.csv:4: read: disk on fire" {
		t.Errorf("error %v, want io.csv:4: read: disk on fire wrapping the reader's error", err)
	}
	_, err = Read(&failingReader{"", boom}, "io.csv", Options{})
	if err == nil || !errors.Is(err, boom) || err.Error() != "io.csv:1: read: disk on fire" {
		t.Errorf("error %v, want io.csv:1: read: disk on fire", err)
	}
	_, err = Read(&failingReader{genericHeader, boom}, "io.csv", Options{})
	if err == nil || err.Error() != "io.csv:2: read: disk on fire" {
		t.Errorf("error %v, want io.csv:2: read: disk on fire", err)
	}
	_, err = ReadFile("testdata/no-such-file.csv", Options{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "testdata/no-such-file.csv") {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
}
