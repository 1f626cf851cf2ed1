// Package geo is carriersim's geography: great-circle distance, road distance and
// travel time, nearest-station lookup, district polygons and GeoJSON output.
//
// # Conventions
//
// Points are orb.Point values in (longitude, latitude) order, in degrees, WGS84,
// the same order GeoJSON uses. Distances are computed on a sphere of radius
// orb.EarthRadius (6,378,137 m, the value orb's geo package uses), so Distance,
// Index and orbgeo agree to the last bit; against the WGS84 ellipsoid the error is
// below 0.5%, far less than the uncertainty of the circuity factor that turns
// straight lines into roads. Lon/lat points are never ranked by flat distance in
// degrees: a degree of longitude in Beijing is only 0.77 of a degree of latitude.
//
// Polygon edges are straight lines in lon/lat, as RFC 7946 draws them. Zones that
// cross the antimeridian must be split into parts (RFC 7946 section 3.1.9).
//
// # Concurrency
//
// Index and Zone are read-only once built: any number of goroutines may query
// them at the same time. A Zone from ReadZones carries a precomputed grid that
// speeds up Contains and SampleUniform, so its Geometry is not to be modified. Sampling takes the caller's *rand.Rand, which is not
// safe for concurrent use, so each goroutine passes its own stream. Travel is a
// plain value. A FeatureWriter has a single writer: one goroutine at a time.
package geo
