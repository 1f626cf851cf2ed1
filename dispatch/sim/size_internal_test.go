package sim

import (
	"testing"
	"unsafe"
)

// The per-order structures a run holds for the whole day (the stream) or for every order in flight (a
// flight per policy) set the memory slope of a large run (bench/RESULTS.md): a field added to either
// should be a choice, not an accident.
func TestPerOrderSizes(t *testing.T) {
	if got, want := unsafe.Sizeof(Order{}), uintptr(72); got != want {
		t.Errorf("Order is %d bytes, want %d", got, want)
	}
	if got, want := unsafe.Sizeof(flight{}), uintptr(24); got != want {
		t.Errorf("flight is %d bytes, want %d", got, want)
	}
	if got, want := unsafe.Sizeof(stopRef(0)), uintptr(4); got != want {
		t.Errorf("stopRef is %d bytes, want %d", got, want)
	}
	for _, c := range []struct {
		id int32
		l  leg
	}{{0, legMain}, {0, legInstall}, {1<<31 - 1, legMain}, {1<<31 - 1, legInstall}, {12345, legInstall}} {
		if r := refOf(c.id, c.l); r.id() != c.id || r.leg() != c.l {
			t.Errorf("refOf(%d, %d) unpacks to (%d, %d)", c.id, c.l, r.id(), r.leg())
		}
	}
}
