package replay

import (
	"errors"
	"time"
)

// Format names, as reported in Result.Format.
const (
	FormatLaDe    = "lade"
	FormatGeneric = "generic"
)

// Categories of Record.Category.
const (
	CategoryParcel           = "parcel"
	CategoryBulky            = "bulky"
	CategoryApplianceInstall = "appliance_install"
)

// Defaults for LaDe, which records neither weight nor volume: a typical small e-commerce parcel.
const (
	DefaultLaDeWeightKg = 1.0
	DefaultLaDeVolumeL  = 10.0
)

// Years accepted: the generic created_at and LaDe's Options.Year must lie in MinYear..MaxYear, so that no
// real time is mistaken for the zero (absent) time.Time.
const (
	MinYear = 1970
	MaxYear = 9998
)

// Limits on one order's goods, far above any parcel or appliance (a 40-tonne, 100 m³ truck load), so that a
// slip of unit or an extra zero is refused as a bad row rather than simulated. Goods within the limits that
// no vehicle can carry are simulated and end unserved as too_large.
const (
	MaxWeightKg       = 50_000
	MaxVolumeM3       = 200
	MaxInstallMinutes = 1440
)

// DefaultMaxErrors is how many problem messages a read keeps when Options.MaxErrors is 0.
const DefaultMaxErrors = 20

// Sentinel errors; every error Read returns for bad input wraps one of them (errors.Is).
var (
	// ErrBadRow marks a row that does not parse or fails validation.
	ErrBadRow = errors.New("replay: bad row")
	// ErrHeader marks a header row that names no known format, or lacks, repeats or adds columns.
	ErrHeader = errors.New("replay: bad header")
	// ErrOptions marks Options that cannot read the file (a LaDe file without a valid Options.Year).
	ErrOptions = errors.New("replay: bad options")
)

// Record is one order read from a file. Times are absolute: generic times keep the zone they are written
// with, LaDe times are in Options.Location.
type Record struct {
	Line     int    // 1-based line number of the row in the file (for messages)
	ID       string // order id (LaDe: order_id)
	Platform string // "jd", "taobao", ...; "" when the format has none (LaDe)
	Merchant string // "1p", "3p" or "" (LaDe: unknown)
	Category string // CategoryParcel, CategoryBulky or CategoryApplianceInstall
	Created  time.Time
	// Ready is when the parcel is at the delivery station ready to go out; zero when the file does not say.
	// LaDe: accept_time, the same as Created (LaDe has no creation time).
	Ready    time.Time
	Lon, Lat float64 // destination, degrees (see the package doc on datums)
	WeightKg float64
	VolumeL  float64 // litres
	// InstallMinutes is the installation duration (appliance_install only; 0 if not given).
	InstallMinutes float64

	// Observed fields, for validating a simulation against reality; LaDe only, zero otherwise.
	Courier, Region, AOI string
	Delivered            time.Time // delivery_time
	// AcceptLon, AcceptLat are the courier's GPS fix at accept; NaN when missing or junk, and 0 in the
	// generic format (check Delivered.IsZero() to tell the formats apart).
	AcceptLon, AcceptLat float64
}

// Options controls reading. The zero value reads generic files and rejects LaDe files (no Year).
type Options struct {
	// Year is the year of LaDe's ds dates (LaDe times have no year); required for LaDe (MinYear..MaxYear),
	// unused otherwise.
	Year int
	// Location is the zone of times written without one (LaDe); nil means China Standard Time (UTC+8).
	Location *time.Location
	// SkipBadRows counts and skips bad rows instead of failing on the first.
	SkipBadRows bool
	// MaxErrors is how many messages of skipped rows Result.Problems keeps; 0 or less means DefaultMaxErrors.
	MaxErrors int
}

// Result is what a read produced.
type Result struct {
	Format   string   // FormatLaDe or FormatGeneric
	Records  []Record // good rows in file order
	Skipped  int      // bad rows skipped (Options.SkipBadRows)
	Problems []string // the first MaxErrors messages of skipped rows, each "name:LINE: COLUMN: ..."
}

// cst is China Standard Time, which has no daylight saving; a fixed zone needs no tz database.
var cst = time.FixedZone("CST", 8*60*60)
