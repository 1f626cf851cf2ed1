package replay

import (
	"fmt"
	"strings"
	"time"
)

// genericColumns are the generic format's columns: the required ones, then the optional ones.
var genericColumns = [...]string{"id", "platform", "merchant", "created_at", "lon", "lat", "category",
	"weight_kg", "volume_m3", "ready_at", "install_minutes"}

// Indexes into genericColumns.
const (
	gID = iota
	gPlatform
	gMerchant
	gCreated
	gLon
	gLat
	gCategory
	gWeight
	gVolume
	gReady
	gInstall
)

// gRequired is how many of genericColumns are required; the rest are optional.
const gRequired = gReady

const rfc3339Example = "an RFC 3339 time with zone (2024-06-18T09:30:00+08:00)"

type genericParser struct {
	*parser
	idx []int
}

func (p *parser) genericHeader(header []string, line int) (*genericParser, error) {
	var unknown []string
	for _, h := range header {
		if !has(genericColumns[:], h) {
			unknown = append(unknown, fmt.Sprintf("%q", h))
		}
	}
	if len(unknown) > 0 {
		return nil, p.errorf(ErrHeader, line, "header: expected only the generic columns (%s), got unknown %s",
			strings.Join(genericColumns[:], ","), strings.Join(unknown, ", "))
	}
	idx, err := p.columnIndex(header, line, genericColumns[:])
	if err != nil {
		return nil, err
	}
	if m := missing(idx, genericColumns[:], gRequired); len(m) > 0 {
		return nil, p.errorf(ErrHeader, line, "header: expected the generic columns (%s), missing %s",
			strings.Join(genericColumns[:gRequired], ","), strings.Join(m, ","))
	}
	return &genericParser{parser: p, idx: idx}, nil
}

func (g *genericParser) parse(f []string, line int) error {
	rec := Record{Line: line}
	if err := g.fill(&rec, f); err != nil {
		return err
	}
	id, err := g.id(f, g.idx[gID], "id", line)
	if err != nil {
		return err
	}
	rec.ID = id
	g.res.Records = append(g.res.Records, rec)
	return nil
}

// fill parses every column but the id.
func (g *genericParser) fill(rec *Record, f []string) error {
	x := g.idx
	if s := f[x[gID]]; s == "" {
		return g.bad(x[gID], "id", "a non-empty id", s)
	}
	if s := f[x[gPlatform]]; !lowercaseID(s) {
		return g.bad(x[gPlatform], "platform", "a lowercase id (a-z, then a-z, 0-9, _ or -)", s)
	}
	rec.Platform = g.internStr(f[x[gPlatform]])
	switch s := f[x[gMerchant]]; s {
	case "1p":
		rec.Merchant = "1p"
	case "3p", "":
		rec.Merchant = "3p"
	default:
		return g.bad(x[gMerchant], "merchant", "1p, 3p or empty", s)
	}
	created, err := time.Parse(time.RFC3339, f[x[gCreated]])
	if err != nil {
		return g.bad(x[gCreated], "created_at", rfc3339Example, f[x[gCreated]])
	}
	if created.Year() < MinYear {
		return g.bad(x[gCreated], "created_at", fmt.Sprintf("a time in %d or later", MinYear), f[x[gCreated]])
	}
	rec.Created = created
	if rec.Lon, rec.Lat, err = g.lonLat(f, x[gLon], x[gLat], "lon", "lat"); err != nil {
		return err
	}
	switch s := f[x[gCategory]]; s {
	case CategoryParcel:
		rec.Category = CategoryParcel
	case CategoryBulky:
		rec.Category = CategoryBulky
	case CategoryApplianceInstall:
		rec.Category = CategoryApplianceInstall
	default:
		return g.bad(x[gCategory], "category", "parcel, bulky or appliance_install", s)
	}
	var ok bool
	if rec.WeightKg, ok = number(f[x[gWeight]]); !ok || rec.WeightKg < 0 || rec.WeightKg > MaxWeightKg {
		return g.bad(x[gWeight], "weight_kg", fmt.Sprintf("a number within [0, %d]", MaxWeightKg), f[x[gWeight]])
	}
	m3, ok := number(f[x[gVolume]])
	if !ok || m3 < 0 || m3 > MaxVolumeM3 {
		return g.bad(x[gVolume], "volume_m3", fmt.Sprintf("a number within [0, %d]", MaxVolumeM3), f[x[gVolume]])
	}
	rec.VolumeL = m3 * 1000
	if i := x[gReady]; i >= 0 && f[i] != "" {
		ready, err := time.Parse(time.RFC3339, f[i])
		if err != nil {
			return g.bad(i, "ready_at", "empty or "+rfc3339Example, f[i])
		}
		if ready.Before(created) {
			return g.bad(i, "ready_at", fmt.Sprintf("a time at or after created_at (%s)", f[x[gCreated]]), f[i])
		}
		rec.Ready = ready
	}
	if i := x[gInstall]; i >= 0 && f[i] != "" {
		v, ok := number(f[i])
		if !ok || v < 0 || v > MaxInstallMinutes {
			return g.bad(i, "install_minutes", fmt.Sprintf("empty or a number within [0, %d]", MaxInstallMinutes), f[i])
		}
		if v > 0 && rec.Category != CategoryApplianceInstall {
			return g.bad(i, "install_minutes", "empty or 0 for category "+rec.Category, f[i])
		}
		rec.InstallMinutes = v
	}
	return nil
}

// lowercaseID reports whether s is a letter a-z followed by a-z, 0-9, '_' or '-'.
func lowercaseID(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
