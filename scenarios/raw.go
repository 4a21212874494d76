package scenarios

import (
	"fmt"
	"sync"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// exampleAliases keep retired example names working: power-tuning was six
// hand-copied systems, now the memory-for-cost sweep.
var exampleAliases = map[string]string{"power-tuning": "memory-for-cost"}

// traceCache holds the traces a Document's decodes have read and checked:
// a trace is read on its first use, then shared (read-only: each run opens
// its own Source) by every later decode with the same trace keys and seed,
// so the 100 points of a sweep read a trace file once per process. Safe
// for concurrent use.
type traceCache struct {
	mu     sync.Mutex
	traces map[string]*cachedTrace
}

type cachedTrace struct {
	once sync.Once
	tr   *workloads.Trace
	err  error
}

func newTraceCache() *traceCache { return &traceCache{traces: map[string]*cachedTrace{}} }

// read is workloads.ReadTrace, once per (options, seed).
func (c *traceCache) read(seed sim.Seed, o workloads.TraceOptions) (*workloads.Trace, error) {
	if c == nil {
		return workloads.ReadTrace(seed, o)
	}
	key := traceKey(seed, o)
	c.mu.Lock()
	e, ok := c.traces[key]
	if !ok {
		e = &cachedTrace{}
		c.traces[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.tr, e.err = workloads.ReadTrace(seed, o) })
	return e.tr, e.err
}

// traceKey prints every option that changes what ReadTrace returns; the
// Open functions are replaced by the names of the files they open, which
// are unique per file (a path, or the embedded name).
func traceKey(seed sim.Seed, o workloads.TraceOptions) string {
	name := func(in *workloads.Input) string {
		if in == nil {
			return ""
		}
		return in.Name
	}
	inv := o.Invocations.Name
	o.Invocations = workloads.Input{}
	d, m := name(o.Durations), name(o.Memory)
	o.Durations, o.Memory = nil, nil
	return fmt.Sprintf("%d|%s|%s|%s|%#v", seed, inv, d, m, o)
}
