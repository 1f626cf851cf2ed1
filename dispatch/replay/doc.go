// Package replay reads real order files into Records that a simulation can replay instead of generating
// orders. It parses and validates only; converting a Record into the simulation's own order type is the
// caller's job.
//
// # Formats
//
// Read recognises the format from the header row: a header naming order_id is LaDe, else one naming id is
// generic.
//
//   - "lade": the delivery files of LaDe, Cainiao's public last-mile dataset (LaDe-D, columns order_id,
//     region_id, city, courier_id, lng, lat, aoi_id, aoi_type, accept_time, accept_gps_time,
//     accept_gps_lng, accept_gps_lat, delivery_time, delivery_gps_time, delivery_gps_lng,
//     delivery_gps_lat, ds). The header must name order_id, region_id, courier_id, lng, lat, aoi_id,
//     accept_time, accept_gps_lng, accept_gps_lat, delivery_time and ds, in any order; the other LaDe
//     columns and any extra columns are ignored. LaDe pickup files (LaDe-P) are not delivery files and are
//     rejected.
//   - "generic": carriersim's own order file, described below and in docs/orders-csv.md.
//
// Both are CSV (RFC 4180: quoting allowed, fields may not contain bare quotes). A UTF-8 byte-order mark
// before the header and CRLF line ends are tolerated; blank lines are skipped but still counted, so line
// numbers in messages are those an editor shows.
//
// # LaDe conventions
//
// LaDe has no order creation time: the earliest event of a parcel is accept_time, the minute the courier
// accepts it at the delivery station. Read therefore sets Created and Ready both to accept_time. Replays
// built on LaDe start parcels at the station and cannot say how long they took to get there.
//
// LaDe times are "MM-DD HH:MM:SS" with no year and no zone. They are read in Options.Location (default
// China Standard Time, UTC+8), and the year comes from Options.Year, which is required: it is the year of
// the row's ds date (ds is "MMDD"; the paper calls it the delivery date, but in the Jilin files it is the
// date of accept_time in every row, and delivery_time falls on the next day in about 1 row in 1,400).
// Each of accept_time and delivery_time takes, among Year-1, Year and Year+1, the year that puts its
// month and day nearest to ds (the ds rule): with ds 1231, a delivery at "01-01 10:00:00" is on 1 January
// of Year+1; with ds 0101, an accept at "12-31 18:00:00" is on 31 December of Year-1. Every ds of a file
// is taken to be in Year, so a file whose ds dates cross a new year must be split there and each part read
// with its own Year.
//
// Other LaDe rules: category is "parcel"; Platform and Merchant are empty (LaDe has neither); weight and
// volume are unknown and set to DefaultLaDeWeightKg and DefaultLaDeVolumeL. Courier, Region and AOI keep
// the LaDe ids as text; Delivered is delivery_time. AcceptLon/AcceptLat are the courier's GPS fix at
// accept; "nan" (or an empty cell) and junk fixes within 0.01° of (0, 0) become NaN. A row is rejected when
// lng/lat or the accept GPS fix is outside [-180, 180]/[-90, 90], when delivery_time is before accept_time,
// when order_id is empty or repeats an earlier row's, or when a time or ds does not parse or names a day
// that does not exist in its year.
//
// # Generic format
//
// Header: id,platform,merchant,created_at,lon,lat,category,weight_kg,volume_m3 and optionally ready_at and
// install_minutes, in any order (columns are found by name). A column not in this list is an error that
// names it; so is a missing or repeated column. Per row:
//
//	id               non-empty, unique in the file
//	platform         lowercase id: a letter a-z, then a-z, 0-9, '_' or '-' (e.g. jd, taobao)
//	merchant         1p or 3p; empty means 3p
//	created_at       RFC 3339 time with zone, e.g. 2024-06-18T09:30:00+08:00, in 1970 or later
//	lon, lat         destination, WGS84 degrees, in [-180, 180] and [-90, 90]
//	category         parcel, bulky or appliance_install
//	weight_kg        number >= 0
//	volume_m3        number >= 0, cubic metres (Record.VolumeL is litres: volume_m3 × 1000)
//	ready_at         optional; empty, or an RFC 3339 time with zone not before created_at
//	install_minutes  optional; empty or a number >= 0; only appliance_install may have more than 0
//
// Generic times keep the zone they are written with; Options.Location and Options.Year are not used.
//
// # Conventions
//
// Positions are (lon, lat) in degrees, passed through unchanged: LaDe does not state its datum (Chinese
// map data is usually GCJ-02, which differs from WGS84 by a few hundred metres) and Read does not convert.
// Numbers must be finite; "NaN" and "Inf" are rejected except as the LaDe accept GPS "nan". Records come
// in file order. Every error names the file and a line: a bad row gives "name:LINE: COLUMN: what was
// expected, got VALUE" wrapping ErrBadRow, a bad header wraps ErrHeader. With Options.SkipBadRows bad rows
// are counted and skipped instead; a bad header, bad options and I/O errors still fail the read.
//
// Read keeps the whole result in memory (one Record per row plus a set of the ids seen) and takes time
// linear in the file size. It has no shared state, so concurrent calls on different readers are safe.
package replay
