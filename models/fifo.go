package models

// fifo is a first-in first-out queue held in chunks. It grows a chunk at a
// time and never copies what it holds: a ring that doubles holds up to
// twice its entries, three times while it copies, and a backlog of
// millions of requests is where that shows (issue 11). A queue of n
// entries takes n entries and at most two chunks more, and the last chunk
// it emptied is kept for the next to fill, so a queue that fills and
// drains allocates nothing once warm.
type fifo[T any] struct {
	head, tail *fifoChunk[T]
	hi, ti     int // the next entry to pop in head.items, the next free in tail.items
	n          int
	spare      *fifoChunk[T]
}

type fifoChunk[T any] struct {
	items []T
	next  *fifoChunk[T]
}

// Chunks start small (a queue per function, 100,000 functions) and double
// up to maxChunk entries: with 24-byte entries, 96 KB.
const (
	minChunk = 16
	maxChunk = 4096
)

func (q *fifo[T]) len() int { return q.n }

func (q *fifo[T]) push(x T) {
	if q.tail == nil || q.ti == len(q.tail.items) {
		q.grow()
	}
	q.tail.items[q.ti] = x
	q.ti++
	q.n++
}

// grow links a chunk after the tail: the spare if it is large enough, else
// a new one twice the tail's size.
func (q *fifo[T]) grow() {
	size := minChunk
	if q.tail != nil {
		size = min(2*len(q.tail.items), maxChunk)
	}
	c := q.spare
	if c != nil && len(c.items) >= size {
		q.spare = nil
	} else {
		c = &fifoChunk[T]{items: make([]T, size)}
	}
	if q.tail == nil {
		q.head, q.hi = c, 0
	} else {
		q.tail.next = c
	}
	q.tail, q.ti = c, 0
}

// peek is the head (the queue must not be empty).
func (q *fifo[T]) peek() *T { return &q.head.items[q.hi] }

// pop removes and returns the head (the queue must not be empty).
func (q *fifo[T]) pop() T {
	c := q.head
	x := c.items[q.hi]
	q.hi++
	q.n--
	switch {
	case q.n == 0: // the head is the tail: start it over
		q.hi, q.ti = 0, 0
	case q.hi == len(c.items):
		q.head, q.hi = c.next, 0
		c.next = nil
		if q.spare == nil || len(c.items) > len(q.spare.items) {
			q.spare = c
		}
	}
	return x
}
