package geo_test

import (
	"fmt"

	"github.com/carriersim/carriersim/geo"
	"github.com/paulmach/orb"
)

func ExampleDistance() {
	tiananmen := orb.Point{116.3975, 39.9087} // lon, lat
	theBund := orb.Point{121.4903, 31.2400}
	fmt.Printf("%.1f km\n", geo.Distance(tiananmen, theBund).Km())
	// Output: 1069.0 km
}

func ExampleTravel_Minutes() {
	t := geo.DefaultTravel() // circuity 1.3; 08:00-08:59 at 0.55 of nominal speed
	station, door := orb.Point{116.4551, 39.9366}, orb.Point{116.4074, 39.9042}
	road := t.Road(station, door)
	const vanKmh = 30
	fmt.Printf("road %.1f km\n", road.Km())
	fmt.Printf("at 03:00 %.0f min\n", t.Minutes(road, vanKmh, 3*60))
	fmt.Printf("at 08:15 %.0f min\n", t.Minutes(road, vanKmh, 8*60+15))
	fmt.Printf("at 08:15 next day %.0f min\n", t.Minutes(road, vanKmh, 24*60+8*60+15))
	// Output:
	// road 7.1 km
	// at 03:00 12 min
	// at 08:15 26 min
	// at 08:15 next day 26 min
}

func ExampleIndex_Nearest() {
	stations := []orb.Point{
		{116.4551, 39.9366}, // Sanlitun
		{116.3162, 39.9837}, // Zhongguancun
		{116.4074, 39.9042}, // Dongcheng
	}
	ix := geo.NewIndex(stations)
	i, d := ix.Nearest(orb.Point{116.3975, 39.9087}) // Tiananmen
	fmt.Printf("station %d at %.0f m\n", i, d)
	fmt.Println("two nearest:", ix.KNearest(orb.Point{116.3975, 39.9087}, 2, nil))
	// Output:
	// station 2 at 983 m
	// two nearest: [2 0]
}
