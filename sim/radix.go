package sim

import "math/bits"

// radix is a monotone priority queue of events (a radix heap: Ahuja,
// Mehlhorn, Orlin and Tarjan, 1990), which suits a simulation: no event is
// scheduled before now, and now is never before the last event taken.
// Bucket b > 0 holds events whose time differs from last (the time of the
// last event taken) first in bit b-1; bucket 0 those at last itself. A push
// is an append; taking the minimum empties the lowest non-empty bucket into
// lower ones, so each event moves a few times, through memory in order,
// instead of sifting through a heap of 100,000 entries at random. Events at
// the same time leave in sequence order (bucket 0 is searched for the least
// key; it rarely holds more than one).
type radix struct {
	b    [65][]event
	used [2]uint64 // bit b of used[b/64]: bucket b is not empty
	last Time
	n    int
	// min caches the least event (valid while hasMin): peeking does not
	// move last, since a handler that fires first may still schedule
	// between last and the minimum.
	min    event
	hasMin bool
}

func (q *radix) len() int { return q.n }

func (q *radix) bucket(at Time) int { return bits.Len64(uint64(at ^ q.last)) }

func (q *radix) push(ev event) {
	b := q.bucket(ev.at)
	q.b[b] = append(q.b[b], ev)
	q.used[b>>6] |= 1 << (b & 63)
	q.n++
	if q.hasMin && ev.before(&q.min) {
		q.min = ev
	}
}

// peek is the least event, or nil.
func (q *radix) peek() *event {
	if q.n == 0 {
		return nil
	}
	if !q.hasMin {
		b := q.lowest()
		m := &q.b[b][0]
		for i := range q.b[b] {
			if q.b[b][i].before(m) {
				m = &q.b[b][i]
			}
		}
		q.min, q.hasMin = *m, true
	}
	return &q.min
}

// lowest is the index of the lowest non-empty bucket (q.n > 0).
func (q *radix) lowest() int {
	if q.used[0] != 0 {
		return bits.TrailingZeros64(q.used[0])
	}
	return 64
}

// pop removes and returns the least event (q.n > 0).
func (q *radix) pop() event {
	if len(q.b[0]) == 0 {
		b := q.lowest()
		src := q.b[b]
		m := src[0].at
		for i := range src {
			m = min(m, src[i].at)
		}
		q.last = m
		for i := range src {
			nb := q.bucket(src[i].at)
			q.b[nb] = append(q.b[nb], src[i])
			q.used[nb>>6] |= 1 << (nb & 63)
		}
		q.b[b] = src[:0] // events hold no pointers: nothing to clear
		q.used[b>>6] &^= 1 << (b & 63)
		if cap(src) > 2*q.n+1024 {
			q.b[b] = nil // a burst's storage, not needed now
		}
	}
	b0 := q.b[0]
	j := 0
	for i := 1; i < len(b0); i++ {
		if b0[i].key < b0[j].key {
			j = i
		}
	}
	ev := b0[j]
	// Bucket 0 keeps no order (it is searched), so the last entry fills the gap.
	b0[j] = b0[len(b0)-1]
	q.b[0] = b0[:len(b0)-1]
	if len(b0) == 1 {
		q.used[0] &^= 1
	}
	q.n--
	q.hasMin = false
	return ev
}

// cancel removes the event whose key's sequence (key >> shift) is seq.
func (q *radix) cancel(seq uint64, shift uint) (event, bool) {
	for b := range q.b {
		for i, ev := range q.b[b] {
			if ev.key>>shift != seq {
				continue
			}
			s := q.b[b]
			s[i] = s[len(s)-1] // no bucket keeps an order
			q.b[b] = s[:len(s)-1]
			if len(s) == 1 {
				q.used[b>>6] &^= 1 << (b & 63)
			}
			q.n--
			q.hasMin = false
			return ev, true
		}
	}
	return event{}, false
}
