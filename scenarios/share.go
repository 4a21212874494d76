package scenarios

import (
	"context"
	"sync/atomic"

	"github.com/faasim/faasim/workloads"
)

// The systems of a scenario see the same invocations (common random
// numbers), so the workload is generated, or the trace read, once and
// handed to every system in chunks: one producer fills a chunk, every
// system's source reads it, and the last to finish with it frees it for the
// producer. A few chunks are in flight, so memory does not grow with the
// run, and the systems move through the workload together, each on its own
// goroutine.
const (
	chunkLen = 4096 // invocations per chunk
	inFlight = 4    // chunks at once
)

type chunk struct {
	inv  []workloads.Invocation
	refs atomic.Int32 // systems still reading it
}

// broadcast hands one Source to n readers.
type broadcast struct {
	src  workloads.Source
	free chan *chunk
	outs []chan *chunk
	err  error // the source's, set before outs are closed
	jobs chan struct{}
}

// share returns n Sources that yield src's invocations, each once, and
// starts the producer. jobs are the tokens of the systems run at once: a
// goroutine holds one while it works and gives it back while it waits for a
// chunk, so the producer and the systems together use at most len(jobs)
// cores. Every Source must be closed when its system is done with it.
func share(ctx context.Context, src workloads.Source, n int, jobs chan struct{}) []*sharedSource {
	b := &broadcast{src: src, free: make(chan *chunk, inFlight), jobs: jobs}
	for range inFlight {
		b.free <- &chunk{inv: make([]workloads.Invocation, 0, chunkLen)}
	}
	srcs := make([]*sharedSource, n)
	for i := range srcs {
		ch := make(chan *chunk, inFlight) // never full: at most inFlight chunks exist
		b.outs = append(b.outs, ch)
		srcs[i] = &sharedSource{b: b, in: ch}
	}
	go b.produce(ctx)
	return srcs
}

func (b *broadcast) produce(ctx context.Context) {
	defer func() {
		for _, ch := range b.outs {
			close(ch)
		}
	}()
	for {
		var c *chunk
		select {
		case c = <-b.free:
		case <-ctx.Done():
			return
		}
		b.jobs <- struct{}{}
		c.inv = c.inv[:0]
		more := true
		for len(c.inv) < chunkLen {
			var inv workloads.Invocation
			if more = b.src.Next(&inv); !more {
				break
			}
			c.inv = append(c.inv, inv)
		}
		<-b.jobs
		if len(c.inv) > 0 {
			c.refs.Store(int32(len(b.outs)))
			for _, ch := range b.outs {
				ch <- c
			}
		}
		if !more {
			b.err = b.src.Err()
			return
		}
	}
}

func (b *broadcast) release(c *chunk) {
	if c.refs.Add(-1) == 0 {
		b.free <- c
	}
}

// sharedSource is one system's view of a broadcast.
type sharedSource struct {
	b   *broadcast
	in  chan *chunk
	cur *chunk
	i   int
}

var _ workloads.Source = (*sharedSource)(nil)

// Next implements workloads.Source.
func (s *sharedSource) Next(inv *workloads.Invocation) bool {
	for s.cur == nil || s.i == len(s.cur.inv) {
		if s.cur != nil {
			s.b.release(s.cur)
			s.cur = nil
		}
		<-s.b.jobs // wait without holding a core
		c, ok := <-s.in
		s.b.jobs <- struct{}{}
		if !ok {
			return false
		}
		s.cur, s.i = c, 0
	}
	*inv = s.cur.inv[s.i]
	s.i++
	return true
}

// Err implements workloads.Source (once Next has returned false).
func (s *sharedSource) Err() error { return s.b.err }

// close gives back what this system has not read, so the others go on.
func (s *sharedSource) close() {
	cur := s.cur
	s.cur = nil
	go func() {
		if cur != nil {
			s.b.release(cur)
		}
		for c := range s.in {
			s.b.release(c)
		}
	}()
}
