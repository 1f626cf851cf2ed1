package replay_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/carriersim/carriersim/dispatch/replay"
)

func ExampleReadFile() {
	res, err := replay.ReadFile("testdata/orders-example.csv", replay.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Format, len(res.Records), "orders")
	for _, r := range res.Records[:3] {
		fmt.Printf("%s %s %s %s %s (%.4f, %.4f) %.1f kg %.0f L\n", r.ID, r.Platform, r.Merchant, r.Category,
			r.Created.Format("15:04"), r.Lon, r.Lat, r.WeightKg, r.VolumeL)
	}
	// Output:
	// generic 10 orders
	// bj-0001 jd 1p parcel 08:05 (116.3975, 39.9087) 0.8 kg 4 L
	// bj-0002 taobao 3p parcel 08:12 (116.4551, 39.9405) 1.6 kg 12 L
	// bj-0003 jd 1p appliance_install 08:40 (116.3312, 39.9821) 62.0 kg 450 L
}

// LaDe rows have no year: Options.Year is the year of each row's ds, and a delivery after midnight on
// New Year's Eve lands in the next year.
func ExampleRead_lade() {
	const file = `order_id,region_id,city,courier_id,lng,lat,aoi_id,aoi_type,accept_time,accept_gps_time,accept_gps_lng,accept_gps_lat,delivery_time,delivery_gps_time,delivery_gps_lng,delivery_gps_lat,ds
101,53,Jilin,75,126.565,43.82892,40932,1,12-31 08:21:00,12-31 08:21:00,126.5669,43.81228,12-31 13:46:00,12-31 13:46:00,126.56518,43.82935,1231
102,53,Jilin,75,126.57068,43.82984,18228,1,12-31 20:24:00,12-31 20:24:00,nan,nan,01-01 09:21:00,01-01 09:21:00,126.57061,43.82891,1231
`
	res, err := replay.Read(strings.NewReader(file), "jl.csv", replay.Options{Year: 2022})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Records {
		fmt.Printf("%s courier %s: accepted %s, delivered %s after %.0f min, accept GPS (%.4f, %.4f)\n", r.ID, r.Courier,
			r.Created.Format("2006-01-02 15:04 MST"), r.Delivered.Format("2006-01-02 15:04"),
			r.Delivered.Sub(r.Created).Minutes(), r.AcceptLon, r.AcceptLat)
	}
	// Output:
	// 101 courier 75: accepted 2022-12-31 08:21 CST, delivered 2022-12-31 13:46 after 325 min, accept GPS (126.5669, 43.8123)
	// 102 courier 75: accepted 2022-12-31 20:24 CST, delivered 2023-01-01 09:21 after 777 min, accept GPS (NaN, NaN)
}

func ExampleRead_skipBadRows() {
	const file = "id,platform,merchant,created_at,lon,lat,category,weight_kg,volume_m3\n" +
		"a1,jd,1p,2024-06-18T09:30:00+08:00,116.40,39.90,parcel,1.2,0.01\n" +
		"a2,JD,1p,2024-06-18T09:31:00+08:00,116.41,39.91,parcel,1.2,0.01\n" +
		"a3,taobao,,2024-06-18 09:32,116.42,39.92,parcel,0.4,0.002\n" +
		"a4,taobao,,2024-06-18T09:33:00+08:00,116.43,39.93,fridge,55,0.4\n"

	_, err := replay.Read(strings.NewReader(file), "orders.csv", replay.Options{})
	fmt.Println(err, errors.Is(err, replay.ErrBadRow))

	res, _ := replay.Read(strings.NewReader(file), "orders.csv", replay.Options{SkipBadRows: true, MaxErrors: 2})
	fmt.Println(len(res.Records), "read,", res.Skipped, "skipped")
	for _, p := range res.Problems {
		fmt.Println(p)
	}
	// Output:
	// orders.csv:3: platform: expected a lowercase id (a-z, then a-z, 0-9, _ or -), got "JD" true
	// 1 read, 3 skipped
	// orders.csv:3: platform: expected a lowercase id (a-z, then a-z, 0-9, _ or -), got "JD"
	// orders.csv:4: created_at: expected an RFC 3339 time with zone (2024-06-18T09:30:00+08:00), got "2024-06-18 09:32"
}
