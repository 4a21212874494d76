package models

import (
	"math/rand/v2"
	"testing"
)

// TestFIFOOrder: pushes and pops in random runs (queues that fill across
// many chunks, drain to empty, and refill) come out in order, with the
// length right at every step, against a plain slice.
func TestFIFOOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var q fifo[int64]
	var want []int64
	next := int64(0)
	for range 300 {
		// bursts of pushes or pops of up to 20,000, so chunks fill and empty
		n := rng.IntN(20000)
		if rng.IntN(2) == 0 {
			for range n {
				q.push(next)
				want = append(want, next)
				next++
			}
		} else {
			for ; n > 0 && len(want) > 0; n-- {
				if got := *q.peek(); got != want[0] {
					t.Fatalf("peek %d, want %d", got, want[0])
				}
				if got := q.pop(); got != want[0] {
					t.Fatalf("pop %d, want %d", got, want[0])
				}
				want = want[1:]
			}
		}
		if q.len() != len(want) {
			t.Fatalf("len %d, want %d", q.len(), len(want))
		}
	}
}

// TestFIFOChunks: a queue holds its entries and at most two chunks more
// (no doubling of the whole), and one that fills and drains again reuses
// its chunks.
func TestFIFOChunks(t *testing.T) {
	var q fifo[[3]int64] // 24 bytes, as a queued request
	const n = 1_000_000
	for i := range n {
		q.push([3]int64{int64(i)})
	}
	held := 0
	for c := q.head; c != nil; c = c.next {
		held += len(c.items)
	}
	if held > n+2*maxChunk {
		t.Errorf("%d entries held for %d queued: more than two chunks of slack", held, n)
	}
	for range n {
		q.pop()
	}
	if q.len() != 0 || q.head != q.tail || q.spare == nil {
		t.Fatalf("drained: len %d, head==tail %v, spare %v", q.len(), q.head == q.tail, q.spare != nil)
	}
	// Fill and drain across a chunk boundary: no new chunk.
	allocs := testing.AllocsPerRun(100, func() {
		for i := range 2 * maxChunk {
			q.push([3]int64{int64(i)})
		}
		for range 2 * maxChunk {
			q.pop()
		}
	})
	if allocs > 0 {
		t.Errorf("%v allocations per fill and drain of a warm queue, want 0", allocs)
	}
}
