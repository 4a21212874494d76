package sweep

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// runner runs replications on a fixed number of workers and counts them.
type runner struct {
	s           *Sweep
	src         source
	cancel      context.CancelFunc // on the first failure
	sem         chan struct{}
	seeds       []uint64
	done, total atomic.Int64
}

func (s *Sweep) newRunner(ctx context.Context, src source) (*runner, context.Context, context.CancelFunc) {
	jobs := s.opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	return &runner{s: s, src: src, cancel: cancel, sem: make(chan struct{}, jobs), seeds: Seeds(s.Seed, s.Replications)}, ctx, cancel
}

// Run runs every point's replications (and the goal's searches) and
// returns the document behind sweep.json. The output does not depend on
// Options.Jobs: every run is stored at its (point, replication) index, and
// a search asks for values that depend only on earlier results.
func (s *Sweep) Run(ctx context.Context) (*reports.Sweep, error) {
	return s.run(ctx, &simulator{})
}

// run is Run with the runs' states taken from src: simulated here, or
// read from shards (Merge). Everything after a run's states is this one
// code path, so a merge writes what one machine writes.
func (s *Sweep) run(ctx context.Context, src source) (*reports.Sweep, error) {
	rn, ctx, cancel := s.newRunner(ctx, src)
	defer cancel()
	jobs := cap(rn.sem)
	out := &reports.Sweep{
		Scenario: s.Name, File: s.File, Seed: s.Seed, Replications: s.Replications, Confidence: s.Confidence,
		Seeds: rn.seeds, Version: reports.Version, Warnings: slices.Clone(s.Warnings), SLO: s.SLO,
	}
	for _, ov := range s.base {
		out.Overrides = append(out.Overrides, reports.Override{Key: ov.Path, Value: ov.Value})
	}
	cols, err := s.Columns(nil)
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		out.Metrics = append(out.Metrics, c.System+"."+c.Path)
	}
	for _, a := range s.Axes {
		out.Axes = append(out.Axes, reports.SweepAxis{Key: a.Key, Values: a.Values, Zip: a.Zip})
	}
	if out.Warnings == nil {
		out.Warnings = []reports.Warning{}
	}
	if s.Goal == nil {
		rn.total.Store(int64(len(s.Points) * s.Replications))
		points := make([]reports.SweepPoint, len(s.Points))
		err := parallel(len(s.Points), jobs, func(i int) error {
			p, err := rn.evaluate(ctx, s.Points[i].scenario, s.Points[i].Params, runKey{Point: i})
			points[i] = p
			return err
		})
		if err != nil {
			return nil, err
		}
		for i := range points {
			points[i].Index = i
		}
		out.Points = points
		return out, nil
	}
	return rn.goal(ctx, out)
}

// parallel calls f(0..n-1), at most limit at once (0: all), and returns
// the first error by index. The runs inside f wait for the runner's
// workers; the limit only bounds how many points are in flight (and so
// the goroutines and results held), enough to keep every worker busy.
func parallel(n, limit int, f func(i int) error) error {
	errs := make([]error, n)
	if limit <= 0 || limit > n {
		limit = n
	}
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range limit {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				errs[i] = f(i)
			}
		}()
	}
	wg.Wait()
	// A failed run cancels the others: report the failure, not a
	// cancellation it caused at a lower index.
	var first error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// evaluate runs a point's replications, each on a worker, and summarises
// every metric of every system over them; at names the point (its
// replication is each run's own).
func (rn *runner) evaluate(ctx context.Context, sc *scenarios.Scenario, ps reports.Params, at runKey) (reports.SweepPoint, error) {
	if err := rn.checkBudget(sc, ps); err != nil {
		return reports.SweepPoint{}, err
	}
	reps := make([]*reports.Results, len(rn.seeds))
	err := parallel(len(rn.seeds), 0, func(r int) error {
		k := at
		k.Rep = r
		states, err := rn.states(ctx, sc, ps, k)
		if err != nil {
			return err
		}
		reps[r] = sc.Results(rn.seeds[r], states)
		return nil
	})
	if err != nil {
		return reports.SweepPoint{}, err
	}
	return summarise(reps, ps, rn.s.Confidence), nil
}

// checkBudget bounds a point like a run (an axis up to rate 1e9 would
// otherwise exhaust memory in its first replication). A merge simulates
// nothing, so it is not bounded.
func (rn *runner) checkBudget(sc *scenarios.Scenario, ps reports.Params) error {
	if _, simulating := rn.src.(*simulator); !simulating {
		return nil
	}
	if err := sc.CheckBudget(sc.Estimate(1, 0), rn.s.opts.Budget); err != nil {
		rn.cancel()
		return fmt.Errorf("point %s: %w", paramsLabel(ps), err)
	}
	return nil
}

// states are the states run k ended in, from the runner's source, on a
// worker.
func (rn *runner) states(ctx context.Context, sc *scenarios.Scenario, ps reports.Params, k runKey) ([]reports.SystemState, error) {
	select {
	case rn.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-rn.sem }()
	seed := rn.seeds[k.Rep]
	states, err := rn.src.states(ctx, k, sc, seed)
	if err != nil {
		rn.cancel()
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, fmt.Errorf("point %s, replication %d (seed %d): %w", paramsLabel(ps), k.Rep, seed, err)
	}
	done := rn.done.Add(1)
	if rn.s.opts.Progress != nil {
		rn.s.opts.Progress(int(done), int(max(rn.total.Load(), done)))
	}
	return states, nil
}

// summarise turns R runs of a point into its metrics: per system, every
// figure a replication reports (SystemResult.Numbers, in results.json
// order), its values over the replications that have it and their
// estimate; and the runs' warnings, each once with how many had it.
func summarise(reps []*reports.Results, ps reports.Params, conf float64) reports.SweepPoint {
	p := reports.SweepPoint{Params: ps}
	if ps == nil {
		p.Params = reports.Params{}
	}
	for i, sys := range reps[0].Systems {
		nums := make([][]reports.Number, len(reps))
		longest := 0
		for r, res := range reps {
			nums[r] = res.Systems[i].Numbers()
			if len(nums[r]) > len(nums[longest]) {
				longest = r
			}
		}
		// The order of the replication with the most figures, then any
		// figure only others have (latencies absent where nothing completed).
		var order []string
		for _, r := range append([]int{longest}, seq(len(reps))...) {
			for _, n := range nums[r] {
				if !slices.Contains(order, n.Path) {
					order = append(order, n.Path)
				}
			}
		}
		ss := reports.SweepSystem{Name: sys.Name, Type: sys.Type, Warnings: warnings(reps, i)}
		for _, path := range order {
			var vals []float64
			var missing []int
			for r := range reps {
				k := slices.IndexFunc(nums[r], func(n reports.Number) bool { return n.Path == path })
				if k < 0 {
					missing = append(missing, r)
					continue
				}
				vals = append(vals, nums[r][k].Value)
			}
			e := reports.NewEstimate(vals, conf)
			e.Missing = missing
			ss.Metrics = append(ss.Metrics, reports.SweepMetric{Path: path, Estimate: e})
		}
		p.Systems = append(p.Systems, ss)
	}
	return p
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// warnings merges system i's warnings over the replications: each code
// once, with the message of the first replication that raised it and how
// many did.
func warnings(reps []*reports.Results, i int) []reports.Warning {
	var out []reports.Warning
	var count, first []int
	for r, res := range reps {
		for _, w := range res.Systems[i].Warnings {
			k := slices.IndexFunc(out, func(o reports.Warning) bool { return o.Code == w.Code })
			if k < 0 {
				out = append(out, w)
				count, first = append(count, 0), append(first, r)
				k = len(out) - 1
			}
			count[k]++
		}
	}
	for k := range out {
		out[k].Message = fmt.Sprintf("in %d of %d replications; in replication %d: %s", count[k], len(reps), first[k], out[k].Message)
	}
	if out == nil {
		out = []reports.Warning{}
	}
	return out
}

// search is one goal search, at one point of the other axes.
type search struct {
	rn    *runner
	ctx   context.Context
	combo Point
	mu    sync.Mutex
	evals map[float64]*judged
	order []float64 // values in the order the search evaluated them
	// bestPoints: find: best, every value of within in its order.
	bestPoints []*judged
}

// probe evaluates the values not seen yet, all at once, and returns the
// goal's state at each value.
func (sr *search) probe(vals []float64) ([]int, error) {
	s := sr.rn.s
	var todo []float64
	sr.mu.Lock()
	for _, v := range vals {
		if _, ok := sr.evals[v]; !ok && !slices.Contains(todo, v) {
			todo = append(todo, v)
		}
	}
	sr.mu.Unlock()
	// The progress's total grows only past the search's estimate.
	sr.mu.Lock()
	before := len(sr.order)
	sr.mu.Unlock()
	if extra := before + len(todo) - s.Goal.estimate(); extra > 0 {
		sr.rn.total.Add(int64(min(extra, len(todo)) * s.Replications))
	}
	got := make([]*judged, len(todo))
	err := parallel(len(todo), 0, func(i int) (err error) {
		got[i], err = sr.evaluate(s.Goal.value(todo[i]), todo[i])
		return err
	})
	if err != nil {
		return nil, err
	}
	sr.mu.Lock()
	defer sr.mu.Unlock()
	for i, v := range todo {
		sr.evals[v] = got[i]
		sr.order = append(sr.order, v)
	}
	st := make([]int, len(vals))
	for i, v := range vals {
		st[i] = s.Goal.state(sr.evals[v])
	}
	return st, nil
}

// evaluate runs the point of the other axes with the goal's key at v and
// judges it; key is how the judged value is known (v itself, or its index
// in within for find: best).
func (sr *search) evaluate(v any, key float64) (*judged, error) {
	s := sr.rn.s
	ps := append(slices.Clone(sr.combo.Params), reports.Param{Key: s.Goal.Spec.Vary, Value: v})
	sc, err := s.decode(ps, "goal.within")
	if err != nil {
		return nil, problems(err)
	}
	p, err := sr.rn.evaluate(sr.ctx, sc, ps, runKey{Point: sr.combo.Index, Goal: true, Value: key})
	if err != nil {
		return nil, err
	}
	j, err := s.Goal.judge(p, key, s.Replications, s.Confidence)
	if err != nil {
		return nil, scenarios.Problems{{File: s.File, Path: "goal", Msg: err.Error()}}
	}
	return j, nil
}

// goal runs the goal's search at every point of the other axes, at once,
// and writes every evaluated value as a point, in grid order then by
// value.
func (rn *runner) goal(ctx context.Context, out *reports.Sweep) (*reports.Sweep, error) {
	s, g := rn.s, rn.s.Goal
	rn.total.Store(int64(len(s.Points) * g.estimate() * s.Replications))
	answers := make([]reports.GoalAnswer, len(s.Points))
	searches := make([]*search, len(s.Points))
	err := parallel(len(s.Points), cap(rn.sem), func(i int) error {
		sr := &search{rn: rn, ctx: ctx, combo: s.Points[i], evals: map[float64]*judged{}}
		searches[i] = sr
		a, err := sr.answer()
		answers[i] = a
		return err
	})
	if err != nil {
		return nil, err
	}
	var tried []float64
	for i, sr := range searches {
		vals := slices.Clone(sr.order)
		sort.Float64s(vals)
		js := sr.bestPoints
		for _, v := range vals {
			js = append(js, sr.evals[v])
		}
		for _, j := range js {
			p := j.point
			p.Index = len(out.Points)
			out.Points = append(out.Points, p)
		}
		tried = append(tried, vals...)
		if len(s.Axes) > 0 {
			answers[i].Params = s.Points[i].Params
		}
	}
	ax := reports.SweepAxis{Key: g.Spec.Vary, Goal: true, Values: g.values}
	if g.values == nil {
		sort.Float64s(tried)
		for _, v := range slices.Compact(tried) {
			ax.Values = append(ax.Values, g.value(v))
		}
	}
	out.Axes = append(out.Axes, ax)
	out.Goal = g.result(answers)
	for _, a := range answers {
		if !a.Monotone {
			out.Warnings = append(out.Warnings, reports.Warning{Code: "not_monotone",
				Message: fmt.Sprintf("%s%s: the goal's state changed more than once along %s, so the search scanned instead of bisecting; check the answer against the points",
					atParams(a.Params), g.Spec.Find, g.Spec.Vary)})
		}
		if !a.Met {
			out.Warnings = append(out.Warnings, reports.Warning{Code: "goal_unmet", Message: atParams(a.Params) + a.Sentence})
		}
	}
	return out, nil
}

func atParams(ps reports.Params) string {
	if len(ps) == 0 {
		return ""
	}
	return "at " + paramsLabel(ps) + ": "
}
