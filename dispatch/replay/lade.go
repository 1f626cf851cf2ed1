package replay

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// ladeColumns are the columns of a LaDe delivery file, in the official order.
var ladeColumns = [...]string{"order_id", "region_id", "city", "courier_id", "lng", "lat", "aoi_id", "aoi_type",
	"accept_time", "accept_gps_time", "accept_gps_lng", "accept_gps_lat", "delivery_time", "delivery_gps_time",
	"delivery_gps_lng", "delivery_gps_lat", "ds"}

// ladeUsed are the LaDe columns Read needs; the others are ignored.
var ladeUsed = []string{"order_id", "region_id", "courier_id", "lng", "lat", "aoi_id", "accept_time",
	"accept_gps_lng", "accept_gps_lat", "delivery_time", "ds"}

// Indexes into ladeUsed.
const (
	lOrder = iota
	lRegion
	lCourier
	lLng
	lLat
	lAOI
	lAccept
	lAcceptLng
	lAcceptLat
	lDelivery
	lDS
)

// nullIslandDeg: an accept GPS fix this close to (0, 0) in both coordinates is junk, not a position.
const nullIslandDeg = 0.01

const ladeTimeLayout = `"MM-DD HH:MM:SS"`

type ladeParser struct {
	*parser
	idx []int
}

func (p *parser) ladeHeader(header []string, line int) (*ladeParser, error) {
	idx, err := p.columnIndex(header, line, ladeUsed)
	if err != nil {
		return nil, err
	}
	if m := missing(idx, ladeUsed, len(ladeUsed)); len(m) > 0 {
		return nil, p.errorf(ErrHeader, line, "header: expected LaDe delivery columns (%s), missing %s",
			strings.Join(ladeColumns[:], ","), strings.Join(m, ","))
	}
	if p.opt.Year < MinYear || p.opt.Year > MaxYear {
		return nil, p.errorf(ErrOptions, line, "LaDe times have no year: expected Options.Year in %d..%d, got %d",
			MinYear, MaxYear, p.opt.Year)
	}
	return &ladeParser{parser: p, idx: idx}, nil
}

func (l *ladeParser) parse(f []string, line int) error {
	x := l.idx
	if s := f[x[lOrder]]; s == "" {
		return l.bad(x[lOrder], "order_id", "a non-empty id", s)
	}
	rec := Record{Line: line, Category: CategoryParcel, WeightKg: DefaultLaDeWeightKg, VolumeL: DefaultLaDeVolumeL}
	if err := l.fill(&rec, f); err != nil {
		return err
	}
	id, err := l.id(f, x[lOrder], "order_id", line) // last, so that a skipped row claims no id
	if err != nil {
		return err
	}
	rec.ID = id
	rec.Courier, rec.Region, rec.AOI = l.internStr(f[x[lCourier]]), l.internStr(f[x[lRegion]]), l.internStr(f[x[lAOI]])
	l.res.Records = append(l.res.Records, rec)
	return nil
}

// fill parses the destination, the times and the accept GPS fix.
func (l *ladeParser) fill(rec *Record, f []string) error {
	x := l.idx
	var err error
	if rec.Lon, rec.Lat, err = l.lonLat(f, x[lLng], x[lLat], "lng", "lat"); err != nil {
		return err
	}
	dsM, dsD, ok := mmdd(f[x[lDS]])
	if !ok || dsD > daysIn(dsM, l.opt.Year) {
		return l.bad(x[lDS], "ds", fmt.Sprintf(`a date "MMDD" that exists in %d`, l.opt.Year), f[x[lDS]])
	}
	accept, err := l.time(f, x[lAccept], "accept_time", dsM, dsD)
	if err != nil {
		return err
	}
	delivered, err := l.time(f, x[lDelivery], "delivery_time", dsM, dsD)
	if err != nil {
		return err
	}
	if delivered.Before(accept) {
		return l.bad(x[lDelivery], "delivery_time",
			fmt.Sprintf("a time at or after accept_time (%s)", accept.Format("2006-01-02 15:04:05")), f[x[lDelivery]])
	}
	rec.Created, rec.Ready, rec.Delivered = accept, accept, delivered

	rec.AcceptLon, rec.AcceptLat = math.NaN(), math.NaN()
	alon, okLon := gpsCoord(f[x[lAcceptLng]], 180)
	if !okLon {
		return l.bad(x[lAcceptLng], "accept_gps_lng", "a longitude in [-180, 180] or nan", f[x[lAcceptLng]])
	}
	alat, okLat := gpsCoord(f[x[lAcceptLat]], 90)
	if !okLat {
		return l.bad(x[lAcceptLat], "accept_gps_lat", "a latitude in [-90, 90] or nan", f[x[lAcceptLat]])
	}
	junk := math.Abs(alon) < nullIslandDeg && math.Abs(alat) < nullIslandDeg
	if !math.IsNaN(alon) && !math.IsNaN(alat) && !junk {
		rec.AcceptLon, rec.AcceptLat = alon, alat
	}
	return nil
}

// gpsCoord parses an optional coordinate in [-limit, limit]: "nan" (any case) or empty is NaN.
func gpsCoord(s string, limit float64) (float64, bool) {
	if s == "" || strings.EqualFold(s, "nan") {
		return math.NaN(), true
	}
	v, ok := number(s)
	return v, ok && v >= -limit && v <= limit
}

// time parses a LaDe time "MM-DD HH:MM:SS" and gives it the year that puts it nearest the ds date
// (dsM, dsD) of Options.Year.
func (l *ladeParser) time(f []string, i int, col string, dsM, dsD int) (time.Time, error) {
	s := f[i]
	if len(s) != 14 || s[2] != '-' || s[5] != ' ' || s[8] != ':' || s[11] != ':' {
		return time.Time{}, l.bad(i, col, "a time "+ladeTimeLayout, s)
	}
	mo, ok1 := twoDigits(s[0:2])
	d, ok2 := twoDigits(s[3:5])
	hh, ok3 := twoDigits(s[6:8])
	mm, ok4 := twoDigits(s[9:11])
	ss, ok5 := twoDigits(s[12:14])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, l.bad(i, col, "a time "+ladeTimeLayout, s)
	}
	year := l.opt.Year
	switch delta := (mo*31 + d) - (dsM*31 + dsD); {
	case delta > 6*31:
		year--
	case delta < -6*31:
		year++
	}
	if d > daysIn(mo, year) {
		return time.Time{}, l.bad(i, col, fmt.Sprintf("a time %s on a day that exists in %d", ladeTimeLayout, year), s)
	}
	return time.Date(year, time.Month(mo), d, hh, mm, ss, 0, l.opt.Location), nil
}

// mmdd parses "MMDD" with a month in 1..12 and a day in 1..31.
func mmdd(s string) (month, day int, ok bool) {
	if len(s) != 4 {
		return 0, 0, false
	}
	m, ok1 := twoDigits(s[:2])
	d, ok2 := twoDigits(s[2:])
	if !ok1 || !ok2 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, false
	}
	return m, d, true
}

func twoDigits(s string) (int, bool) {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

// daysIn returns the number of days of a month (1..12) in year.
func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
