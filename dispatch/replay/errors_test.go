package replay

import (
	"errors"
	"strings"
	"testing"
)

func TestReadErrors(t *testing.T) {
	const ladeCols = "order_id,region_id,city,courier_id,lng,lat,aoi_id,aoi_type,accept_time,accept_gps_time," +
		"accept_gps_lng,accept_gps_lat,delivery_time,delivery_gps_time,delivery_gps_lng,delivery_gps_lat,ds"
	const genCols = "id,platform,merchant,created_at,lon,lat,category,weight_kg,volume_m3,ready_at,install_minutes"
	y := Options{Year: 2022}
	tests := []struct {
		name string
		in   string
		opt  Options
		want string
		is   error
	}{
		// Header.
		{"empty file", "", y, `f.csv:1: empty file: expected a header row`, ErrHeader},
		{"only BOM", "\ufeff", y, `f.csv:1: empty file: expected a header row`, ErrHeader},
		{"unrecognised", "a,b\n1,2\n", y,
			`f.csv:1: unrecognised header: expected LaDe delivery columns (` + ladeCols + `) or the generic columns (` + genCols + `), got "a,b"`, ErrHeader},
		{"unrecognised after blank lines", "\n\nlon,lat\n", y,
			`f.csv:3: unrecognised header: expected LaDe delivery columns (` + ladeCols + `) or the generic columns (` + genCols + `), got "lon,lat"`, ErrHeader},
		{"generic unknown columns", "id,platform,merchant,created_at,lon,lat,category,weight_kg,volume_m3,colour,Size\n", y,
			`f.csv:1: header: expected only the generic columns (` + genCols + `), got unknown "colour", "Size"`, ErrHeader},
		{"generic missing columns", "id,platform,created_at,lon,lat,category\n", y,
			`f.csv:1: header: expected the generic columns (id,platform,merchant,created_at,lon,lat,category,weight_kg,volume_m3), missing merchant,weight_kg,volume_m3`, ErrHeader},
		{"generic repeated column", "id,platform,merchant,created_at,lon,lat,category,weight_kg,volume_m3,lon\n", y,
			`f.csv:1: header: expected each column once, got "lon" twice`, ErrHeader},
		{"lade missing columns", "order_id,region_id,courier_id,lng,lat,aoi_id,accept_time,accept_gps_lng,accept_gps_lat,ds\n", y,
			`f.csv:1: header: expected LaDe delivery columns (` + ladeCols + `), missing delivery_time`, ErrHeader},
		{"lade without year", ladeHeader + ladeRow + "\n", Options{},
			`f.csv:1: LaDe times have no year: expected Options.Year in 1970..9998, got 0`, ErrOptions},
		{"malformed header", "id,\"plat\"form\n", y,
			`f.csv:1: malformed CSV: extraneous or missing " in quoted-field (byte 9 of the line)`, ErrHeader},

		// Generic rows.
		{"generic field count", genericHeader + "o1,jd\n", y,
			`f.csv:2: expected 11 fields (one per header column), got 2`, ErrBadRow},
		{"generic malformed row", genericHeader + genericRow + "\no2,j\"d,\n", y,
			`f.csv:3: malformed CSV: bare " in non-quoted-field (byte 5 of the line)`, ErrBadRow},
		{"empty id", genericHeader + genericRowWith("id", "") + "\n", y,
			`f.csv:2: id: expected a non-empty id, got ""`, ErrBadRow},
		{"repeated id", genericHeader + genericRow + "\n\n" + genericRow + "\n", y,
			`f.csv:4: id: expected an id not used before (first on line 2), got "o1"`, ErrBadRow},
		{"platform uppercase", genericHeader + genericRowWith("platform", "JD") + "\n", y,
			`f.csv:2: platform: expected a lowercase id (a-z, then a-z, 0-9, _ or -), got "JD"`, ErrBadRow},
		{"platform empty", genericHeader + genericRowWith("platform", "") + "\n", y,
			`f.csv:2: platform: expected a lowercase id (a-z, then a-z, 0-9, _ or -), got ""`, ErrBadRow},
		{"merchant", genericHeader + genericRowWith("merchant", "2p") + "\n", y,
			`f.csv:2: merchant: expected 1p, 3p or empty, got "2p"`, ErrBadRow},
		{"created_at without zone", genericHeader + genericRowWith("created_at", "2024-06-18T09:30:00") + "\n", y,
			`f.csv:2: created_at: expected an RFC 3339 time with zone (2024-06-18T09:30:00+08:00), got "2024-06-18T09:30:00"`, ErrBadRow},
		{"created_at with space", genericHeader + genericRowWith("created_at", "2024-06-18 09:30:00+08:00") + "\n", y,
			`f.csv:2: created_at: expected an RFC 3339 time with zone (2024-06-18T09:30:00+08:00), got "2024-06-18 09:30:00+08:00"`, ErrBadRow},
		{"created_at zero", genericHeader + genericRowWith("created_at", "0001-01-01T00:00:00Z") + "\n", y,
			`f.csv:2: created_at: expected a time in 1970 or later, got "0001-01-01T00:00:00Z"`, ErrBadRow},
		{"created_at before 1970", genericHeader + genericRowWith("created_at", "1969-12-31T23:59:59Z") + "\n", y,
			`f.csv:2: created_at: expected a time in 1970 or later, got "1969-12-31T23:59:59Z"`, ErrBadRow},
		{"lade year too large", ladeHeader + ladeRow + "\n", Options{Year: 9999},
			`f.csv:1: LaDe times have no year: expected Options.Year in 1970..9998, got 9999`, ErrOptions},
		{"lon out of range", genericHeader + genericRowWith("lon", "180.5") + "\n", y,
			`f.csv:2: lon: expected a longitude in [-180, 180], got "180.5"`, ErrBadRow},
		{"lon NaN", genericHeader + genericRowWith("lon", "NaN") + "\n", y,
			`f.csv:2: lon: expected a longitude in [-180, 180], got "NaN"`, ErrBadRow},
		{"lon empty", genericHeader + genericRowWith("lon", "") + "\n", y,
			`f.csv:2: lon: expected a longitude in [-180, 180], got ""`, ErrBadRow},
		{"lat out of range", genericHeader + genericRowWith("lat", "-91") + "\n", y,
			`f.csv:2: lat: expected a latitude in [-90, 90], got "-91"`, ErrBadRow},
		{"category", genericHeader + genericRowWith("category", "Parcel") + "\n", y,
			`f.csv:2: category: expected parcel, bulky or appliance_install, got "Parcel"`, ErrBadRow},
		{"weight negative", genericHeader + genericRowWith("weight_kg", "-0.1") + "\n", y,
			`f.csv:2: weight_kg: expected a number within [0, 50000], got "-0.1"`, ErrBadRow},
		{"weight infinite", genericHeader + genericRowWith("weight_kg", "Inf") + "\n", y,
			`f.csv:2: weight_kg: expected a number within [0, 50000], got "Inf"`, ErrBadRow},
		{"volume text", genericHeader + genericRowWith("volume_m3", "10L") + "\n", y,
			`f.csv:2: volume_m3: expected a number within [0, 200], got "10L"`, ErrBadRow},
		{"ready_at", genericHeader + genericRowWith("ready_at", "tomorrow") + "\n", y,
			`f.csv:2: ready_at: expected empty or an RFC 3339 time with zone (2024-06-18T09:30:00+08:00), got "tomorrow"`, ErrBadRow},
		{"ready_at before created_at", genericHeader + genericRowWith("ready_at", "2024-06-18T09:00:00+08:00") + "\n", y,
			`f.csv:2: ready_at: expected a time at or after created_at (2024-06-18T09:30:00+08:00), got "2024-06-18T09:00:00+08:00"`, ErrBadRow},
		{"ready_at before created_at in another zone", genericHeader + genericRowWith("ready_at", "2024-06-18T01:29:00Z") + "\n", y,
			`f.csv:2: ready_at: expected a time at or after created_at (2024-06-18T09:30:00+08:00), got "2024-06-18T01:29:00Z"`, ErrBadRow},
		{"install_minutes", genericHeader + genericRowWith("category", "appliance_install", "install_minutes", "-5") + "\n", y,
			`f.csv:2: install_minutes: expected empty or a number within [0, 1440], got "-5"`, ErrBadRow},
		{"install_minutes on parcel", genericHeader + genericRowWith("install_minutes", "30") + "\n", y,
			`f.csv:2: install_minutes: expected empty or 0 for category parcel, got "30"`, ErrBadRow},
		{"multi-line quoted field", genericHeader + `"o` + "\n" + `1",jd,1p,2024-06-18T09:30:00+08:00,116.4,39.9,parcel,1.5,0.01,,` + "\no2,jd,xp,2024-06-18T09:30:00+08:00,116.4,39.9,parcel,1.5,0.01,,\n", y,
			`f.csv:4: merchant: expected 1p, 3p or empty, got "xp"`, ErrBadRow},

		// LaDe rows.
		{"lade field count", ladeHeader + "1,2,3\n", y,
			`f.csv:2: expected 17 fields (one per header column), got 3`, ErrBadRow},
		{"order_id empty", ladeHeader + ladeRowWith("order_id", "") + "\n", y,
			`f.csv:2: order_id: expected a non-empty id, got ""`, ErrBadRow},
		{"order_id repeated", ladeHeader + ladeRow + "\n" + ladeRow + "\n", y,
			`f.csv:3: order_id: expected an id not used before (first on line 2), got "2754824"`, ErrBadRow},
		{"lng out of range", ladeHeader + ladeRowWith("lng", "226.565") + "\n", y,
			`f.csv:2: lng: expected a longitude in [-180, 180], got "226.565"`, ErrBadRow},
		{"lat out of range", ladeHeader + ladeRowWith("lat", "143.8") + "\n", y,
			`f.csv:2: lat: expected a latitude in [-90, 90], got "143.8"`, ErrBadRow},
		{"lat nan", ladeHeader + ladeRowWith("lat", "nan") + "\n", y,
			`f.csv:2: lat: expected a latitude in [-90, 90], got "nan"`, ErrBadRow},
		{"ds unpadded", ladeHeader + ladeRowWith("ds", "529") + "\n", y,
			`f.csv:2: ds: expected a date "MMDD" that exists in 2022, got "529"`, ErrBadRow},
		{"ds 0230", ladeHeader + ladeRowWith("ds", "0230") + "\n", y,
			`f.csv:2: ds: expected a date "MMDD" that exists in 2022, got "0230"`, ErrBadRow},
		{"ds 0229 in a common year", ladeHeader + ladeRowWith("ds", "0229") + "\n", Options{Year: 2023},
			`f.csv:2: ds: expected a date "MMDD" that exists in 2023, got "0229"`, ErrBadRow},
		{"accept_time with year", ladeHeader + ladeRowWith("accept_time", "2022-05-29 08:21:00") + "\n", y,
			`f.csv:2: accept_time: expected a time "MM-DD HH:MM:SS", got "2022-05-29 08:21:00"`, ErrBadRow},
		{"accept_time without seconds", ladeHeader + ladeRowWith("accept_time", "05-29 08:21") + "\n", y,
			`f.csv:2: accept_time: expected a time "MM-DD HH:MM:SS", got "05-29 08:21"`, ErrBadRow},
		{"accept_time hour 24", ladeHeader + ladeRowWith("accept_time", "05-29 24:00:00") + "\n", y,
			`f.csv:2: accept_time: expected a time "MM-DD HH:MM:SS", got "05-29 24:00:00"`, ErrBadRow},
		{"accept_time month 13", ladeHeader + ladeRowWith("accept_time", "13-01 08:00:00") + "\n", y,
			`f.csv:2: accept_time: expected a time "MM-DD HH:MM:SS", got "13-01 08:00:00"`, ErrBadRow},
		{"accept_time on a missing day", ladeHeader + ladeRowWith("accept_time", "02-29 08:00:00", "ds", "0301") + "\n", y,
			`f.csv:2: accept_time: expected a time "MM-DD HH:MM:SS" on a day that exists in 2022, got "02-29 08:00:00"`, ErrBadRow},
		{"accept_time on 04-31", ladeHeader + ladeRowWith("accept_time", "04-31 08:00:00") + "\n", y,
			`f.csv:2: accept_time: expected a time "MM-DD HH:MM:SS" on a day that exists in 2022, got "04-31 08:00:00"`, ErrBadRow},
		{"delivery_time", ladeHeader + ladeRowWith("delivery_time", "") + "\n", y,
			`f.csv:2: delivery_time: expected a time "MM-DD HH:MM:SS", got ""`, ErrBadRow},
		{"delivery before accept", ladeHeader + ladeRowWith("delivery_time", "05-29 08:20:00") + "\n", y,
			`f.csv:2: delivery_time: expected a time at or after accept_time (2022-05-29 08:21:00), got "05-29 08:20:00"`, ErrBadRow},
		{"delivery a year before accept", ladeHeader + ladeRowWith("accept_time", "01-01 00:10:00", "delivery_time", "12-31 23:50:00", "ds", "0101") + "\n", y,
			`f.csv:2: delivery_time: expected a time at or after accept_time (2022-01-01 00:10:00), got "12-31 23:50:00"`, ErrBadRow},
		{"accept_gps_lng text", ladeHeader + ladeRowWith("accept_gps_lng", "n/a") + "\n", y,
			`f.csv:2: accept_gps_lng: expected a longitude in [-180, 180] or nan, got "n/a"`, ErrBadRow},
		{"accept_gps_lat out of range", ladeHeader + ladeRowWith("accept_gps_lat", "91") + "\n", y,
			`f.csv:2: accept_gps_lat: expected a latitude in [-90, 90] or nan, got "91"`, ErrBadRow},
		{"accept_gps_lat infinite", ladeHeader + ladeRowWith("accept_gps_lat", "-inf") + "\n", y,
			`f.csv:2: accept_gps_lat: expected a latitude in [-90, 90] or nan, got "-inf"`, ErrBadRow},
		{"bad row after good rows, CRLF", strings.ReplaceAll(ladeHeader, "\n", "\r\n") + ladeRow + "\r\n\r\n" + ladeRowWith("order_id", "7", "lng", "x") + "\r\n", y,
			`f.csv:4: lng: expected a longitude in [-180, 180], got "x"`, ErrBadRow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Read(strings.NewReader(tt.in), "f.csv", tt.opt)
			if err == nil {
				t.Fatalf("Read = %d records, want error %q", len(res.Records), tt.want)
			}
			if res != nil {
				t.Errorf("Read returned a Result with its error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			// The same input with SkipBadRows: row errors become Problems, others still fail.
			opt := tt.opt
			opt.SkipBadRows = true
			res, err2 := Read(strings.NewReader(tt.in), "f.csv", opt)
			if tt.is != ErrBadRow {
				if err2 == nil || err2.Error() != err.Error() {
					t.Errorf("with SkipBadRows: error %v, want %v", err2, err)
				}
				return
			}
			if err2 != nil {
				t.Fatalf("with SkipBadRows: %v", err2)
			}
			if res.Skipped != 1 || len(res.Problems) != 1 || res.Problems[0] != tt.want {
				t.Errorf("with SkipBadRows: Skipped %d, Problems %q; want 1, [%q]", res.Skipped, res.Problems, tt.want)
			}
		})
	}
}
