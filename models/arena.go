package models

// arena holds values of one kind (instances, requests) in one slice and
// reuses freed slots, last freed first, so a run allocates only while its
// peak count grows and memory does not grow with the number of requests.
type arena[T any] struct {
	items []T
	free  []int32
}

// alloc returns a slot to fill: a freed one, still holding its old value
// (callers that keep a generation counter read it before overwriting), or
// a new zero one.
func (a *arena[T]) alloc() int32 {
	if n := len(a.free); n > 0 {
		i := a.free[n-1]
		a.free = a.free[:n-1]
		return i
	}
	var zero T
	a.items = append(a.items, zero)
	return int32(len(a.items) - 1)
}

// release returns slot i for reuse.
func (a *arena[T]) release(i int32) { a.free = append(a.free, i) }
