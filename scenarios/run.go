package scenarios

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// RunOptions tune how a scenario runs, never what it computes.
type RunOptions struct {
	// Seed overrides the scenario's seed when non-nil.
	Seed *uint64
	// Jobs is how many systems are simulated at once (default: GOMAXPROCS):
	// a scenario of S systems uses min(S, Jobs) cores. Results do not depend
	// on it: every system runs on its own engine, all read one workload
	// (generated once, share.go), and results are kept in system order.
	Jobs int
	// Progress, if set, is called now and then, from several goroutines at
	// once, with the share of the total simulated time done so far (0 to 1).
	Progress func(done float64)
	// SeriesDir, if set, is where each system's time series
	// (<system>.timeseries.csv, streamed as the run goes) and latency
	// distribution (<system>.latency.csv) are written.
	SeriesDir string
	// SeriesInterval overrides the scenario's report.interval when > 0.
	SeriesInterval time.Duration
}

// Run simulates every system of the scenario on the same workload and
// returns their results in scenario order.
func (s *Scenario) Run(ctx context.Context, o RunOptions) (*reports.Results, error) {
	states, err := s.RunStates(ctx, o)
	if err != nil {
		return nil, err
	}
	seed := s.Seed
	if o.Seed != nil {
		seed = *o.Seed
	}
	return s.Results(seed, states), nil
}

// Results are the figures of a run with the given seed whose systems ended
// in states (RunStates, in scenario order): what Run returns. A sweep
// computes them from states read back from their encoding, so a shard
// merged on another machine gives the same bytes.
func (s *Scenario) Results(seed uint64, states []reports.SystemState) *reports.Results {
	res := &reports.Results{
		Scenario:         s.Name,
		File:             s.File,
		Seed:             seed,
		SimulatedSeconds: s.Duration.Seconds(),
		WarmupSeconds:    s.Warmup.Seconds(),
		Version:          reports.Version,
		Workload:         s.workloadInfo(),
		Systems:          make([]reports.SystemResult, len(s.Systems)),
	}
	for _, ov := range s.Overrides {
		res.Overrides = append(res.Overrides, reports.Override{Key: ov.Path, Value: ov.Value})
	}
	for i, st := range states {
		res.Systems[i] = st.Result(s.systemInfo(i))
	}
	reports.Assess(res, s.SLO)
	return res
}

func (s *Scenario) systemInfo(i int) reports.SystemInfo {
	info := reports.SystemInfo{Name: s.Systems[i].Name, Type: s.Systems[i].Type, Platform: s.Systems[i].Platform, Params: s.Systems[i].Params}
	for _, f := range s.Functions {
		info.Functions = append(info.Functions, f.Name)
	}
	return info
}

// RunStates simulates every system of the scenario on the same workload
// and returns the state each ended in, in scenario order.
func (s *Scenario) RunStates(ctx context.Context, o RunOptions) ([]reports.SystemState, error) {
	seed := s.Seed
	if o.Seed != nil {
		seed = *o.Seed
	}
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	states := make([]reports.SystemState, len(s.Systems))
	errs := make([]error, len(s.Systems))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Each system's share of the progress, in permille of its horizon.
	done := make([]atomic.Int64, len(s.Systems))
	report := func(i int) func(sim.Time) {
		if o.Progress == nil {
			return nil
		}
		return func(now sim.Time) {
			done[i].Store(int64(now * 1000 / s.Duration))
			var sum int64
			for k := range done {
				sum += done[k].Load()
			}
			o.Progress(float64(sum) / float64(1000*len(done)))
		}
	}
	src, err := s.NewSource(sim.Seed(seed))
	if err != nil {
		return nil, traceProblem(err)
	}
	// One system reads the workload itself; several share one reading.
	srcs := []workloads.Source{src}
	finished := func(int) {}
	sem := make(chan struct{}, jobs)
	if n := len(s.Systems); n > 1 {
		shared := share(ctx, src, n, sem)
		srcs = make([]workloads.Source, n)
		for i, sh := range shared {
			srcs[i] = sh
		}
		finished = func(i int) { shared[i].close() } // what it did not read goes to the others
	}
	var wg sync.WaitGroup
	for i := range s.Systems {
		wg.Add(1)
		go func() {
			sem <- struct{}{}
			defer func() { finished(i); <-sem; wg.Done() }()
			r, err := s.runSystem(ctx, i, sim.Seed(seed), srcs[i], report(i), o)
			if err != nil {
				errs[i] = fmt.Errorf("system %q: %w", s.Systems[i].Name, err)
				cancel()
				return
			}
			states[i] = r
		}()
	}
	wg.Wait()
	for _, err := range errs { // the first system's error, whatever finished first
		if err != nil {
			return nil, err
		}
	}
	return states, nil
}

func (s *Scenario) runSystem(ctx context.Context, i int, seed sim.Seed, src workloads.Source, progress func(sim.Time), o RunOptions) (reports.SystemState, error) {
	sys, err := s.NewSystem(i, seed)
	if err != nil {
		return reports.SystemState{}, err
	}
	acc := reports.NewAccumulator(len(s.Functions))
	acc.WatchBacklog(s.Window())
	if o.SeriesDir != "" {
		r, err := s.runWithSeries(ctx, i, sys, src, acc, progress, o)
		return r, traceProblem(err)
	}
	sum, err := models.SimulateProgress(ctx, sys, src, s.Window(), acc, progress)
	if err != nil {
		return reports.SystemState{}, traceProblem(err)
	}
	return reports.NewSystemState(acc, sum), nil
}
