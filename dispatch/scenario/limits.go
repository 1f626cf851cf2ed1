package scenario

// Limits on what one run may ask for, checked by Validate before any work, so that a typing slip (an extra
// zero, a wrong unit) is refused with a sentence instead of exhausting memory. Each is far above any real
// city's needs; docs/CONTRACT.md lists them.
const (
	// MaxOrders bounds demand.orders and a run's design volume: Beijing's real volume is about 23 million
	// parcels a day, so this is a whole megacity's Double-11 day twice over.
	MaxOrders = 50_000_000
	// MaxPlanningSample bounds demand.planning_sample (station placement draws that many points).
	MaxPlanningSample = 5_000_000
	// MaxStations bounds each carrier's delivery stations: fixed ones, min_stations, and the count placed
	// from demand (orders / orders_per_station), checked when the world is built.
	MaxStations = 50_000
	// MaxSortingCenters bounds each carrier's sorting_centers.
	MaxSortingCenters = 1_000
	// MaxPerStation bounds a fleet's vehicles (or crews) per station and wave.
	MaxPerStation = 10_000
	// MaxCapacityCount, MaxCapacityL, MaxCapacityKg and MaxCapacityMinutes bound one vehicle's (or crew's)
	// capacity: parcels, litres, kilograms and crew-minutes per wave.
	MaxCapacityCount   = 100_000
	MaxCapacityL       = 1_000_000
	MaxCapacityKg      = 1_000_000
	MaxCapacityMinutes = 100_000
	// MaxDays bounds demand.days, the consecutive days simulated (a month).
	MaxDays = 31
	// MaxIterations bounds routing.iterations per station-wave.
	MaxIterations = 10_000_000
)
