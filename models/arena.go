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

// pages is an arena held in fixed pages of 1<<pageBits slots: it grows a page
// at a time and never copies, where arena's one slice grows by copying
// (1.25 times at this size: a run allocates about five times the slots it
// holds, and holds up to 2.25 times them while it copies). The invocation
// layer keeps its events in pages: a queue its pollers cannot drain holds
// millions (backlog.go), the one place a slot count grows with the load.
type pages[T any] struct {
	pg   [][]T
	n    int32 // slots handed out, freed ones included
	free []int32
}

const pageBits = 12 // 4,096 slots a page: 128 KB of 32-byte events

// alloc returns a slot to fill, a freed one (holding its old value) first.
func (p *pages[T]) alloc() int32 {
	if k := len(p.free); k > 0 {
		i := p.free[k-1]
		p.free = p.free[:k-1]
		return i
	}
	if int(p.n)>>pageBits == len(p.pg) {
		p.pg = append(p.pg, make([]T, 1<<pageBits))
	}
	p.n++
	return p.n - 1
}

// at is slot i.
func (p *pages[T]) at(i int32) *T { return &p.pg[i>>pageBits][i&(1<<pageBits-1)] }

// release returns slot i for reuse.
func (p *pages[T]) release(i int32) { p.free = append(p.free, i) }
