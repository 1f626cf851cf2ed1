package replay

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// ReadFile opens path and calls Read with path as the name used in messages.
func ReadFile(path string, opt Options) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	defer f.Close()
	return Read(f, path, opt)
}

// Read detects the format from the header row and reads every row: a header naming order_id is LaDe
// (and must have the LaDe delivery columns), else one naming id is generic. name is the file name used in
// messages.
//
// A bad row returns an error "name:LINE: COLUMN: what was expected, got VALUE" wrapping ErrBadRow, unless
// opt.SkipBadRows is set; then the row is counted in Result.Skipped and its message kept in
// Result.Problems. A header row that matches no format returns "name:1: unrecognised header: ..." wrapping
// ErrHeader; a LaDe file without a valid opt.Year returns an error wrapping ErrOptions. Errors from r are returned
// with the file name and line. On error the Result is nil.
func Read(r io.Reader, name string, opt Options) (*Result, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	// A UTF-8 byte-order mark is not part of the first column's name.
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // checked here, for a message in the package's style

	p := &parser{name: name, opt: opt, cr: cr, seen: make(map[string]int), intern: make(map[string]string)}
	if p.opt.Location == nil {
		p.opt.Location = cst
	}
	if p.opt.MaxErrors <= 0 {
		p.opt.MaxErrors = DefaultMaxErrors
	}

	header, err := cr.Read()
	if err == io.EOF {
		return nil, p.errorf(ErrHeader, 1, "empty file: expected a header row")
	}
	if err != nil {
		return nil, p.csvError(err, 1, ErrHeader)
	}
	line, _ := cr.FieldPos(0)
	res := &Result{}
	var parse func([]string, int) error
	switch {
	case has(header, "order_id"):
		res.Format = FormatLaDe
		l, err := p.ladeHeader(header, line)
		if err != nil {
			return nil, err
		}
		parse = l.parse
	case has(header, "id"):
		res.Format = FormatGeneric
		g, err := p.genericHeader(header, line)
		if err != nil {
			return nil, err
		}
		parse = g.parse
	default:
		return nil, p.errorf(ErrHeader, line, "unrecognised header: expected LaDe delivery columns (%s) or the generic columns (%s), got %q",
			strings.Join(ladeColumns[:], ","), strings.Join(genericColumns[:], ","), strings.Join(header, ","))
	}
	p.width = len(header)
	p.res = res
	p.lastLine = line

	for {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		var line int
		if err == nil {
			line, _ = cr.FieldPos(0)
			if len(fields) != p.width {
				err = p.errorf(ErrBadRow, line, "expected %d fields (one per header column), got %d", p.width, len(fields))
			} else {
				err = parse(fields, line)
			}
		} else {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, p.csvError(err, p.lastLine+1, nil) // I/O error
			}
			err = p.csvError(err, 0, ErrBadRow)
			line = pe.StartLine
		}
		p.lastLine = line
		if err != nil {
			if !p.opt.SkipBadRows {
				return nil, err
			}
			res.Skipped++
			if len(res.Problems) < p.opt.MaxErrors {
				res.Problems = append(res.Problems, err.Error())
			}
		}
	}
	return res, nil
}

// parser is the state of one Read shared by both formats.
type parser struct {
	name     string
	opt      Options
	cr       *csv.Reader
	res      *Result
	width    int            // header columns
	lastLine int            // line of the last row read, for I/O errors
	seen     map[string]int // id -> line of its first row
	intern   map[string]string
}

// fileError is an error at a line of the file: "name:LINE: COLUMN: MSG", or "name:LINE: MSG" when it
// concerns no single column. It wraps kind (ErrBadRow, ErrHeader, ErrOptions or an I/O error) without
// repeating kind's text.
type fileError struct {
	name   string
	line   int
	column string
	msg    string
	kind   error
}

func (e *fileError) Error() string {
	if e.column == "" {
		return fmt.Sprintf("%s:%d: %s", e.name, e.line, e.msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.name, e.line, e.column, e.msg)
}

func (e *fileError) Unwrap() error { return e.kind }

// errorf returns a fileError about line as a whole.
func (p *parser) errorf(kind error, line int, format string, args ...any) error {
	return &fileError{name: p.name, line: line, msg: fmt.Sprintf(format, args...), kind: kind}
}

// bad reports that field i of the current row, in column col, is not what was expected.
func (p *parser) bad(i int, col, expected, got string) error {
	line, _ := p.cr.FieldPos(i)
	return &fileError{name: p.name, line: line, column: col, msg: fmt.Sprintf("expected %s, got %q", expected, got), kind: ErrBadRow}
}

// csvError turns an error of the csv reader into one naming the file and line. Syntax errors wrap kind;
// I/O errors, at line, wrap themselves.
func (p *parser) csvError(err error, line int, kind error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return p.errorf(kind, pe.Line, "malformed CSV: %v (byte %d of the line)", pe.Err, pe.Column)
	}
	return p.errorf(err, line, "read: %v", err)
}

// id validates and returns a copy of an order id, rejecting empty and repeated ones.
func (p *parser) id(fields []string, i int, col string, line int) (string, error) {
	s := fields[i]
	if s == "" {
		return "", p.bad(i, col, "a non-empty id", s)
	}
	if first, ok := p.seen[s]; ok {
		return "", p.bad(i, col, fmt.Sprintf("an id not used before (first on line %d)", first), s)
	}
	s = strings.Clone(s) // fields share one string per row; keep only the id alive
	p.seen[s] = line
	return s, nil
}

// internStr returns a copy of s shared by every equal value read before (platforms, couriers, AOIs).
func (p *parser) internStr(s string) string {
	if v, ok := p.intern[s]; ok {
		return v
	}
	v := strings.Clone(s)
	p.intern[v] = v
	return v
}

// number parses a finite float.
func number(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v-v != 0 { // v-v is NaN for NaN and ±Inf
		return 0, false
	}
	return v, true
}

// lonLat parses a destination; columns are named by the format (lon/lat or lng/lat).
func (p *parser) lonLat(fields []string, iLon, iLat int, colLon, colLat string) (lon, lat float64, err error) {
	lon, ok := number(fields[iLon])
	if !ok || lon < -180 || lon > 180 {
		return 0, 0, p.bad(iLon, colLon, "a longitude in [-180, 180]", fields[iLon])
	}
	lat, ok = number(fields[iLat])
	if !ok || lat < -90 || lat > 90 {
		return 0, 0, p.bad(iLat, colLat, "a latitude in [-90, 90]", fields[iLat])
	}
	return lon, lat, nil
}

func has(header []string, col string) bool {
	for _, h := range header {
		if h == col {
			return true
		}
	}
	return false
}

// columnIndex maps each wanted column to its index in header (-1 when absent) and reports repeats.
func (p *parser) columnIndex(header []string, line int, wanted []string) ([]int, error) {
	idx := make([]int, len(wanted))
	for i := range idx {
		idx[i] = -1
	}
	for j, h := range header {
		for i, w := range wanted {
			if h != w {
				continue
			}
			if idx[i] >= 0 {
				return nil, p.errorf(ErrHeader, line, "header: expected each column once, got %q twice", h)
			}
			idx[i] = j
		}
	}
	return idx, nil
}

// missing lists the wanted columns among the first n that idx does not find.
func missing(idx []int, wanted []string, n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		if idx[i] < 0 {
			out = append(out, wanted[i])
		}
	}
	return out
}
