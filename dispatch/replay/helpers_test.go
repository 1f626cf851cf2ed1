package replay

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ladeDir holds the shared LaDe files, relative to this package's directory.
var ladeDir = filepath.Join("..", "..", "..", "shared", "data", "lade")

// ladeFile returns the path of a shared LaDe file, skipping the test when the data is absent.
func ladeFile(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(ladeDir, name)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("LaDe data not available: %v", err)
	}
	return p
}

const ladeHeader = "order_id,region_id,city,courier_id,lng,lat,aoi_id,aoi_type,accept_time,accept_gps_time," +
	"accept_gps_lng,accept_gps_lat,delivery_time,delivery_gps_time,delivery_gps_lng,delivery_gps_lat,ds\n"

// ladeRow is a real row of delivery_jl_union.csv; tests derive bad rows from it with ladeRowWith.
const ladeRow = "2754824,53,Jilin,75,126.565,43.82892,40932,1,05-29 08:21:00,05-29 08:21:00,126.5669,43.81228," +
	"05-29 13:46:00,05-29 13:46:00,126.56518,43.82935,0529"

// ladeRowWith returns ladeRow with the named columns replaced: ladeRowWith("lng", "200").
func ladeRowWith(kv ...string) string {
	f := strings.Split(ladeRow, ",")
	for i := 0; i < len(kv); i += 2 {
		f[ladeCol(kv[i])] = kv[i+1]
	}
	return strings.Join(f, ",")
}

func ladeCol(name string) int {
	for i, c := range ladeColumns {
		if c == name {
			return i
		}
	}
	panic("no LaDe column " + name)
}

const genericHeader = "id,platform,merchant,created_at,lon,lat,category,weight_kg,volume_m3,ready_at,install_minutes\n"

const genericRow = "o1,jd,1p,2024-06-18T09:30:00+08:00,116.4,39.9,parcel,1.5,0.01,2024-06-18T11:00:00+08:00,"

// genericRowWith returns genericRow with the named columns replaced.
func genericRowWith(kv ...string) string {
	f := strings.Split(genericRow, ",")
	for i := 0; i < len(kv); i += 2 {
		j := -1
		for k, c := range genericColumns {
			if c == kv[i] {
				j = k
			}
		}
		if j < 0 {
			panic("no generic column " + kv[i])
		}
		f[j] = kv[i+1]
	}
	return strings.Join(f, ",")
}
