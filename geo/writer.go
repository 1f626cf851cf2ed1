package geo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
)

var errWriterClosed = errors.New("geo: FeatureWriter is closed")

// FeatureWriter streams a GeoJSON FeatureCollection (RFC 7946) to w one feature at a time, so large outputs never sit in memory.
//
// The output is compact JSON with one feature per line, so that diffs of two runs
// show changed features. Writes are buffered; Close flushes. The first error is
// sticky and returned by every later call. One goroutine at a time.
type FeatureWriter struct {
	w      *bufio.Writer
	buf    []byte       // the feature being encoded, reused
	props  bytes.Buffer // output of enc, reused
	enc    *json.Encoder
	count  int
	err    error
	closed bool
	part   bool // NewFeaturePart: features only, each after ",\n"
}

// NewFeatureWriter returns a writer of one FeatureCollection to w; nothing is written before the first Write or Close.
func NewFeatureWriter(w io.Writer) *FeatureWriter {
	fw := &FeatureWriter{w: bufio.NewWriterSize(w, 64<<10)}
	fw.enc = json.NewEncoder(&fw.props)
	// Keep "<" and "&" in names readable; they need no escaping outside HTML.
	fw.enc.SetEscapeHTML(false)
	return fw
}

// NewFeaturePart returns a writer of features to be put into a FeatureCollection later, by
// FeatureWriter.CopyPart: the same bytes Write would give them, each feature after ",\n", with nothing around
// them. Close flushes. A program writes a part while features come (from several goroutines, one part
// each) and joins the parts in its own order at the end, reading them back from a file.
func NewFeaturePart(w io.Writer) *FeatureWriter {
	fw := NewFeatureWriter(w)
	fw.part = true
	return fw
}

// CopyPart appends the count features of a part (NewFeaturePart) read from r, as if each had been passed to
// Write: its bytes are copied, not decoded. r must hold exactly the part's bytes.
func (fw *FeatureWriter) CopyPart(r io.Reader, count int) error {
	if fw.err != nil {
		return fw.err
	}
	if fw.closed {
		return errWriterClosed
	}
	if count == 0 {
		return nil
	}
	if fw.count == 0 && !fw.part {
		// The collection's first feature: the opening bracket instead of the part's ",\n".
		var sep [2]byte
		if _, err := io.ReadFull(r, sep[:]); err != nil || string(sep[:]) != ",\n" {
			return fmt.Errorf("geo: feature part does not start with a feature (%q, %v)", sep, err)
		}
		if _, fw.err = fw.w.WriteString(`{"type":"FeatureCollection","features":[` + "\n"); fw.err != nil {
			return fw.err
		}
	}
	if _, fw.err = io.Copy(fw.w, r); fw.err != nil {
		return fw.err
	}
	fw.count += count
	return nil
}

// Write appends one feature. Coordinates are rounded to 6 decimals (about 0.1 m); polygon rings are rewound so exteriors are
// counter-clockwise and holes clockwise (RFC 7946 section 3.1.6); properties are written with sorted keys (deterministic bytes).
//
// Unclosed rings are closed. The feature's bbox and foreign members are not
// written. f is not modified. A feature that cannot be encoded (a nil feature, a
// non-finite coordinate, an id that is neither string nor number, properties that
// encoding/json rejects) returns an error and writes nothing, and the writer
// stays usable.
func (fw *FeatureWriter) Write(f *geojson.Feature) error {
	if fw.err != nil {
		return fw.err
	}
	if fw.closed {
		return errWriterClosed
	}
	if f == nil {
		return fmt.Errorf("geo: feature %d: nil feature", fw.count)
	}
	b, err := fw.appendFeature(fw.buf[:0], f)
	fw.buf = b
	if err != nil {
		return fmt.Errorf("geo: feature %d: %w", fw.count, err)
	}
	if fw.count == 0 && !fw.part {
		_, fw.err = fw.w.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	} else {
		_, fw.err = fw.w.WriteString(",\n")
	}
	if fw.err == nil {
		_, fw.err = fw.w.Write(b)
	}
	if fw.err != nil {
		return fw.err
	}
	fw.count++
	return nil
}

// Count returns the number of features written so far.
func (fw *FeatureWriter) Count() int { return fw.count }

// Close finishes the collection (writes the closing brackets), or for a part only flushes; it does not
// close w. Closing again does nothing.
func (fw *FeatureWriter) Close() error {
	if fw.err != nil || fw.closed {
		return fw.err
	}
	fw.closed = true
	if fw.part {
		fw.err = fw.w.Flush()
		return fw.err
	}
	if fw.count == 0 {
		_, fw.err = fw.w.WriteString(`{"type":"FeatureCollection","features":[]}` + "\n")
	} else {
		_, fw.err = fw.w.WriteString("\n]}\n")
	}
	if fw.err == nil {
		fw.err = fw.w.Flush()
	}
	return fw.err
}

func (fw *FeatureWriter) appendFeature(b []byte, f *geojson.Feature) ([]byte, error) {
	b = append(b, `{"type":"Feature",`...)
	if f.ID != nil {
		var err error
		if b, err = fw.appendID(b, f.ID); err != nil {
			return b, err
		}
	}
	b = append(b, `"geometry":`...)
	b, err := appendGeometry(b, f.Geometry)
	if err != nil {
		return b, err
	}
	b = append(b, `,"properties":`...)
	if len(f.Properties) == 0 {
		return append(b, "{}}"...), nil
	}
	// encoding/json writes map keys sorted, nested maps included.
	if b, err = fw.appendJSON(b, f.Properties); err != nil {
		return b, fmt.Errorf("properties: %w", err)
	}
	return append(b, '}'), nil
}

func (fw *FeatureWriter) appendID(b []byte, id any) ([]byte, error) {
	switch id.(type) {
	case string, json.Number, float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
	default:
		return b, fmt.Errorf("id: must be a string or number, got %T", id)
	}
	b = append(b, `"id":`...)
	b, err := fw.appendJSON(b, id)
	if err != nil {
		return b, fmt.Errorf("id: %w", err)
	}
	return append(b, ','), nil
}

// appendJSON appends v encoded by encoding/json without HTML escaping.
func (fw *FeatureWriter) appendJSON(b []byte, v any) ([]byte, error) {
	fw.props.Reset()
	if err := fw.enc.Encode(v); err != nil {
		return b, err
	}
	return append(b, bytes.TrimSuffix(fw.props.Bytes(), []byte("\n"))...), nil
}

func appendGeometry(b []byte, g orb.Geometry) ([]byte, error) {
	var err error
	switch g := g.(type) {
	case nil:
		return append(b, "null"...), nil
	case orb.Point:
		b = append(b, `{"type":"Point","coordinates":`...)
		b, err = appendPoint(b, g)
	case orb.MultiPoint:
		b = append(b, `{"type":"MultiPoint","coordinates":`...)
		b, err = appendPoints(b, g)
	case orb.LineString:
		b = append(b, `{"type":"LineString","coordinates":`...)
		b, err = appendPoints(b, g)
	case orb.MultiLineString:
		b = append(b, `{"type":"MultiLineString","coordinates":[`...)
		for i, ls := range g {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendPoints(b, ls); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	case orb.Ring:
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b, err = appendPolygon(b, orb.Polygon{g})
	case orb.Bound:
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b, err = appendPolygon(b, g.ToPolygon())
	case orb.Polygon:
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b, err = appendPolygon(b, g)
	case orb.MultiPolygon:
		b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
		for i, p := range g {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendPolygon(b, p); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	case orb.Collection:
		b = append(b, `{"type":"GeometryCollection","geometries":[`...)
		for i, c := range g {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendGeometry(b, c); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	default:
		return b, fmt.Errorf("geometry: unsupported type %T", g)
	}
	if err != nil {
		return b, err
	}
	return append(b, '}'), nil
}

func appendPolygon(b []byte, p orb.Polygon) ([]byte, error) {
	b = append(b, '[')
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		// RFC 7946: exterior counter-clockwise, holes clockwise. orbgeo.SignedArea
		// is positive for counter-clockwise rings and zero for degenerate ones,
		// which keep their order.
		a := orbgeo.SignedArea(r)
		reverse := (i == 0 && a < 0) || (i > 0 && a > 0)
		var err error
		if b, err = appendRing(b, r, reverse); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

func appendRing(b []byte, r orb.Ring, reverse bool) ([]byte, error) {
	b = append(b, '[')
	n := len(r)
	for i := range n {
		j := i
		if reverse {
			j = n - 1 - i
		}
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendPoint(b, r[j]); err != nil {
			return b, err
		}
	}
	if n > 0 && r[0] != r[n-1] { // close it: RFC 7946 rings repeat the first position
		var err error
		first := r[0]
		if reverse {
			first = r[n-1]
		}
		b = append(b, ',')
		if b, err = appendPoint(b, first); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

func appendPoints(b []byte, ps []orb.Point) ([]byte, error) {
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendPoint(b, p); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

func appendPoint(b []byte, p orb.Point) ([]byte, error) {
	b = append(b, '[')
	b, err := appendCoord(b, p[0])
	if err != nil {
		return b, err
	}
	b = append(b, ',')
	if b, err = appendCoord(b, p[1]); err != nil {
		return b, err
	}
	return append(b, ']'), nil
}

func appendCoord(b []byte, v float64) ([]byte, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return b, fmt.Errorf("geometry: coordinate %v is not finite", v)
	}
	// Round to 6 decimals and print k/1e6 with integer arithmetic: the same bytes
	// as strconv's shortest form of math.Round(v*1e6)/1e6 (no shorter decimal is
	// within an ulp of it), at a fraction of the cost; coordinates dominate output.
	k := math.Round(v * 1e6)
	if math.Abs(k) >= 1<<53 { // not a lon/lat, and integers are no longer exact: plain shortest form
		return strconv.AppendFloat(b, k/1e6, 'g', -1, 64), nil
	}
	n := int64(k)
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/1e6, 10)
	frac := n % 1e6
	if frac == 0 {
		return b, nil // also turns -0 into 0
	}
	digits := [7]byte{'.'}
	for i := 6; i >= 1; i-- {
		digits[i] = '0' + byte(frac%10)
		frac /= 10
	}
	end := 7
	for digits[end-1] == '0' {
		end--
	}
	return append(b, digits[:end]...), nil
}
