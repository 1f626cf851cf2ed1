package report

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"slices"

	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// A record is one final order's outcome under one policy as the writers need it, at offset id ×
// recordSize of its policy's record file, little-endian:
//
//	0 1 (written)   1 state   2 reason code   3 carrier (int8)   4-5 station (int16)   6-7 unused
//	8-11 main route (int32)   12-15 install route (int32)
//	16 done   24 install start   32 line-haul   40 sorting   48 last mile   56 install   64 km (float64)
//
// Floats are kept bit for bit, so what is formatted from a record is what the outcome gives.
const recordSize = 72

// recordBatch is how many records a recordFile gathers before it writes them, sorted by id, with one
// write per run of consecutive ids.
const recordBatch = 4096

// recordFile is a policy's records: written in the order orders finish, read in id order.
type recordFile struct {
	f     *os.File
	batch []idRecord
}

type idRecord struct {
	id  int32
	rec [recordSize]byte
}

// put adds the record of order id.
func (r *recordFile) put(id int32, out *sim.Outcome, v visit, reason uint8) error {
	if r.batch == nil {
		r.batch = make([]idRecord, 0, recordBatch)
	}
	r.batch = append(r.batch, idRecord{id: id})
	b := &r.batch[len(r.batch)-1].rec
	b[0], b[1], b[2], b[3] = 1, byte(out.State), reason, byte(out.Carrier)
	binary.LittleEndian.PutUint16(b[4:], uint16(out.Station))
	binary.LittleEndian.PutUint32(b[8:], uint32(v.main))
	binary.LittleEndian.PutUint32(b[12:], uint32(v.install))
	for k, x := range [...]float64{float64(out.Done), float64(out.InstallStart), out.Linehaul, out.Sorting,
		out.LastMile, out.Install, out.Km} {
		binary.LittleEndian.PutUint64(b[16+8*k:], math.Float64bits(x))
	}
	if len(r.batch) == recordBatch {
		return r.flush()
	}
	return nil
}

// flush writes the gathered records.
func (r *recordFile) flush() error {
	slices.SortFunc(r.batch, func(a, b idRecord) int { return cmp.Compare(a.id, b.id) })
	buf := make([]byte, 0, recordSize*64)
	for i := 0; i < len(r.batch); {
		j := i + 1
		for j < len(r.batch) && r.batch[j].id == r.batch[j-1].id+1 {
			j++
		}
		buf = buf[:0]
		for _, x := range r.batch[i:j] {
			buf = append(buf, x.rec[:]...)
		}
		if _, err := r.f.WriteAt(buf, int64(r.batch[i].id)*recordSize); err != nil {
			return err
		}
		i = j
	}
	r.batch = r.batch[:0]
	return nil
}

// reader reads the records in id order: dense when most ids will be read (a block at a time), else one
// record at a time.
func (r *recordFile) reader(dense bool, reasons []route.Reason) *recordReader {
	n := 1
	if dense {
		n = 512
	}
	return &recordReader{f: r.f, reasons: reasons, buf: make([]byte, n*recordSize), first: -1}
}

// recordReader reads records through a block of consecutive ids; it gives outcomes to the writers.
type recordReader struct {
	f       *os.File
	reasons []route.Reason // the policy's reason codes
	buf     []byte
	first   int64 // id of the block's first record, -1 before the first read
	n       int64 // records in the block
}

// outcome returns order id's outcome and the routes that visited it.
func (r *recordReader) outcome(id int32) (sim.Outcome, visit, error) {
	var out sim.Outcome
	at := int64(id)
	if r.first < 0 || at < r.first || at >= r.first+r.n {
		k, err := r.f.ReadAt(r.buf, at*recordSize)
		if err != nil && err != io.EOF {
			return out, visit{}, err
		}
		r.first, r.n = at, int64(k/recordSize)
	}
	if at >= r.first+r.n {
		return out, visit{}, fmt.Errorf("order %d has no final state", id)
	}
	b := r.buf[(at-r.first)*recordSize:][:recordSize]
	if b[0] != 1 || int(b[2]) > len(r.reasons) {
		return out, visit{}, fmt.Errorf("order %d has no final state", id)
	}
	out.State, out.Carrier = sim.State(b[1]), int8(b[3])
	if b[2] > 0 {
		out.Reason = r.reasons[b[2]-1]
	}
	out.Station = int16(binary.LittleEndian.Uint16(b[4:]))
	v := visit{int32(binary.LittleEndian.Uint32(b[8:])), int32(binary.LittleEndian.Uint32(b[12:]))}
	f := func(k int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b[16+8*k:])) }
	out.Done, out.InstallStart = scenario.Minutes(f(0)), scenario.Minutes(f(1))
	out.Linehaul, out.Sorting, out.LastMile, out.Install, out.Km = f(2), f(3), f(4), f(5), f(6)
	return out, v, nil
}
