package ledger

import "errors"

// Sentinel errors returned by Ledger methods, checked with errors.Is.
var (
	// ErrNoRoom means the slot's remaining capacity does not cover the request.
	ErrNoRoom = errors.New("ledger: slot has no room")
	// ErrNoSlot means no slot has the given (resource, start) key.
	ErrNoSlot = errors.New("ledger: no such slot")
	// ErrDuplicate means a slot with the same (resource, start) key already exists.
	ErrDuplicate = errors.New("ledger: duplicate slot")
	// ErrOverRelease means a release would raise Remaining above Capacity.
	ErrOverRelease = errors.New("ledger: release exceeds capacity")
	// ErrBadSlot means a slot's end is not after its start or its capacity is negative.
	ErrBadSlot = errors.New("ledger: bad slot")
	// ErrBadAmount means an amount to reserve or release has a negative dimension.
	ErrBadAmount = errors.New("ledger: negative amount")
	// ErrTooLarge means a quantity or an amount is above MaxQuantity, where integer units stop being exact
	// and sums start to risk overflow.
	ErrTooLarge = errors.New("ledger: amount too large")
)
