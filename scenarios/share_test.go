package scenarios

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// countSource yields n invocations (At = i), then fails with err.
type countSource struct {
	i, n int
	err  error
}

func (c *countSource) Next(inv *workloads.Invocation) bool {
	if c.i == c.n {
		return false
	}
	*inv = workloads.Invocation{At: sim.Time(c.i), Fn: int32(c.i % 7)}
	c.i++
	return true
}

func (c *countSource) Err() error { return c.err }

// TestShare: every reader of a shared source gets every invocation in
// order, and the source's error, whatever the number of cores allowed; a
// reader that stops early (a system that failed) holds nobody up.
func TestShare(t *testing.T) {
	fail := errors.New("bad row")
	const n = 5*chunkLen + 17
	for _, jobs := range []int{1, 2, 4} {
		sem := make(chan struct{}, jobs)
		srcs := share(context.Background(), &countSource{n: n, err: fail}, 4, sem)
		var wg sync.WaitGroup
		got := make([]int, len(srcs))
		for k, s := range srcs {
			wg.Add(1)
			go func() {
				sem <- struct{}{}
				defer func() { s.close(); <-sem; wg.Done() }()
				var inv workloads.Invocation
				for s.Next(&inv) {
					if inv.At != sim.Time(got[k]) {
						t.Errorf("jobs %d reader %d: invocation %d is %v", jobs, k, got[k], inv.At)
						return
					}
					got[k]++
					if k == 3 && got[k] == 10 {
						return // stops early
					}
				}
				if s.Err() != fail {
					t.Errorf("jobs %d reader %d: err %v, want %v", jobs, k, s.Err(), fail)
				}
			}()
		}
		wg.Wait()
		if got[0] != n || got[1] != n || got[2] != n || got[3] != 10 {
			t.Errorf("jobs %d: readers got %v, want %d, %d, %d and 10", jobs, got, n, n, n)
		}
	}
}
