package scenarios

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// This file decodes the workload types beyond constant and poisson (their
// registry entries are in registry.go) and builds a scenario's Source.

// generated is the arrivals of every type whose decoder sets Workload.gen.
func generated(w Workload, seed sim.Seed, stream string) workloads.Arrivals {
	return w.gen(seed, stream)
}

// arrivalsStream is the stream of the top-level workload's process.
const arrivalsStream = "workload/arrivals"

func (o *object) rate(key string, strict bool) (float64, bool) {
	if !o.require(key, "requests per second, a number") {
		return 0, false
	}
	return o.num(key, 0, strict)
}

func (o *object) need(key, want string) (time.Duration, bool) {
	if !o.require(key, want) {
		return 0, false
	}
	return o.positive(key)
}

func decodeMMPP(o *object, w *Workload) bool {
	if !o.require("states", "a list of states like {rate: 100, mean_sojourn: 1m}") {
		return false
	}
	list, ok := o.list("states")
	if l, isList := o.m["states"].([]any); isList && len(l) < 1 {
		o.fail("states", "want at least one state")
		return false
	}
	var states []workloads.MMPPState
	for _, s := range list {
		s.allow([]string{"rate", "mean_sojourn"}, nil)
		r, okR := s.rate("rate", false)
		m, okM := s.need("mean_sojourn", "the mean time spent in the state per visit, a duration > 0")
		ok = ok && okR && okM
		states = append(states, workloads.MMPPState{Rate: r, MeanSojourn: m.Seconds()})
	}
	if !ok {
		return false
	}
	if !slices.ContainsFunc(states, func(s workloads.MMPPState) bool { return s.Rate > 0 }) {
		o.fail("states", "every state has rate 0: nothing would ever arrive; want at least one state with rate > 0")
		return false
	}
	var num, den float64 // the long-run rate Σ π_i λ_i, π_i ∝ sojourn (workloads.MMPP)
	for _, s := range states {
		num += s.Rate * s.MeanSojourn
		den += s.MeanSojourn
	}
	w.Rate = num / den
	// State changes: Σ π_i / s_i = n / Σ s per second.
	w.shape = shape{mean: w.Rate, steps: float64(len(states)) / den, path: o.at("states")}
	for _, s := range states {
		if s.Rate > w.shape.peak {
			w.shape.peak, w.shape.peakFor = s.Rate, 3*s.MeanSojourn // a long stay: three times the mean
		}
	}
	w.gen = func(seed sim.Seed, stream string) workloads.Arrivals {
		m, _ := workloads.NewMMPP(seed.Stream(stream), states)
		return m
	}
	return true
}

func decodeOnOff(o *object, w *Workload) bool {
	r, ok1 := o.rate("rate", true)
	on, ok2 := o.need("on", "the length of a burst, a duration > 0")
	off, ok3 := o.need("off", "the silence between bursts, a duration > 0")
	if !(ok1 && ok2 && ok3) {
		return false
	}
	w.Rate = r * on.Seconds() / (on + off).Seconds()
	w.shape = shape{mean: w.Rate, peak: r, peakFor: on.Seconds(), steps: 2 / (on + off).Seconds(), path: o.at("rate")}
	w.gen = func(seed sim.Seed, stream string) workloads.Arrivals {
		return workloads.NewOnOff(seed.Stream(stream), r, on.Seconds(), off.Seconds())
	}
	return true
}

func decodeDiurnal(o *object, w *Workload) bool {
	tr, ok1 := o.rate("trough", false)
	pk, ok2 := o.rate("peak", true)
	at, ok3 := o.duration("peak_at")
	per, ok4 := o.positive("period")
	if !(ok1 && ok2 && ok3 && ok4) {
		return false
	}
	if tr > pk {
		o.fail("trough", "%g is above the peak (%g); want trough <= peak", tr, pk)
		return false
	}
	w.Rate = (tr + pk) / 2
	// Thinning draws candidates at the peak rate and keeps a share.
	w.shape = shape{mean: w.Rate, peak: pk, peakFor: per.Seconds() / 2, steps: pk - w.Rate, path: o.at("peak")}
	w.gen = func(seed sim.Seed, stream string) workloads.Arrivals {
		return workloads.NewDiurnal(seed.Stream(stream), tr, pk, at.Seconds(), per.Seconds())
	}
	return true
}

func decodeSpike(o *object, w *Workload) bool {
	r, ok1 := o.rate("rate", false)
	ok2 := o.require("multiplier", "how many times the baseline rate the spike is, a number > 0")
	m, ok3 := o.num("multiplier", 0, true)
	ok4 := o.require("at", "when the spike starts, a duration from the start")
	at, ok5 := o.duration("at")
	l, ok6 := o.need("length", "how long the spike lasts, a duration > 0")
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return false
	}
	if r*m > maxRate {
		o.fail("multiplier", "rate %g × multiplier %g = %g requests/s; want at most %g (%s)", r, m, r*m, maxRate, whyClock)
		return false
	}
	w.Rate = r
	w.shape = shape{mean: r, peak: r * m, peakFor: l.Seconds(), extra: r * (m - 1) * l.Seconds(), path: o.at("multiplier")}
	w.gen = func(seed sim.Seed, stream string) workloads.Arrivals {
		return workloads.NewSpike(seed.Stream(stream), r, m, at.Seconds(), l.Seconds())
	}
	return true
}

func decodeCron(o *object, w *Workload) bool {
	every, ok1 := o.need("every", "the interval between firings, a duration > 0")
	off, ok2 := o.duration("offset")
	jit, ok3 := o.duration("jitter")
	fan, ok4 := o.int("fanout", 1)
	if !(ok1 && ok2 && ok3 && ok4) {
		return false
	}
	if jit > every {
		o.fail("jitter", "%v is longer than every (%v); want a duration from 0 to every", jit, every)
		return false
	}
	w.Rate = float64(fan) / every.Seconds()
	w.shape = shape{mean: w.Rate, peak: w.Rate, burst: float64(fan), path: o.at("fanout")}
	if w.Rate > maxRate {
		o.fail("fanout", "%d calls every %v are %.3g requests/s; want at most %g (%s)", fan, every, w.Rate, maxRate, whyClock)
		return false
	}
	w.gen = func(seed sim.Seed, stream string) workloads.Arrivals {
		c, _ := workloads.NewCron(seed.Stream(stream), every, off, jit, fan)
		return c
	}
	return true
}

func decodeRamp(o *object, w *Workload) bool {
	from, ok1 := o.rate("from", false)
	to, ok2 := o.rate("to", false)
	l, ok3 := o.need("length", "how long the ramp lasts, a duration > 0")
	if !(ok1 && ok2 && ok3) {
		return false
	}
	if from == 0 && to == 0 {
		o.fail("to", "want from or to > 0 (both 0: no arrivals)")
		return false
	}
	w.Rate = to
	w.shape = shape{mean: math.Max(from, to), peak: math.Max(from, to), steps: math.Abs(to - from), path: o.at("to")}
	w.gen = func(seed sim.Seed, stream string) workloads.Arrivals {
		return workloads.NewRamp(seed.Stream(stream), from, to, l.Seconds())
	}
	return true
}

// decodeMix decodes through mixDecoder, set in init: a mix's parts are
// workloads, so its decoder refers back to the registry, and Go refuses
// a registry whose initializer refers to itself.
func decodeMix(o *object, w *Workload) bool { return mixDecoder(o, w) }

var mixDecoder func(o *object, w *Workload) bool

func init() { mixDecoder = decodeMixParts }

// decodeMixParts reads components: a list of workloads (not traces), merged.
func decodeMixParts(o *object, w *Workload) bool {
	if !o.require("components", "a list of workloads like {type: poisson, rate: 5}") {
		return false
	}
	list, ok := o.list("components")
	if l, isList := o.m["components"].([]any); isList && len(l) == 0 {
		o.fail("components", "want at least one workload")
		return false
	}
	var parts []Workload
	for _, c := range list {
		n := len(o.d.probs)
		p := o.d.workload(c)
		switch {
		case len(o.d.probs) > n:
			ok = false
			continue
		case p.Type == "trace" || p.Type == "":
			o.d.problem(c.at("type"), "a trace cannot be part of a mix; want a generated workload")
			ok = false
			continue
		case p.Zipf > 0:
			o.d.problem(c.at("zipf"), "zipf belongs to the top-level workload, not to a part of a mix")
			ok = false
			continue
		}
		parts = append(parts, p)
		w.Rate += p.Rate
		w.shape = w.shape.plus(p.shape)
	}
	w.shape.path = o.at("components")
	if !ok {
		return false
	}
	w.gen = func(seed sim.Seed, stream string) workloads.Arrivals {
		arr := make([]workloads.Arrivals, len(parts))
		for i, p := range parts {
			arr[i] = workloadTypes[p.Type].arrivals(p, seed, stream+"/"+strconv.Itoa(i))
		}
		return workloads.NewMerge(arr...)
	}
	return true
}

// workloadCommon reads the keys every generated type has.
func (d *decoder) workloadCommon(o *object, w *Workload) {
	if o.has("zipf") {
		w.Zipf, _ = o.num("zipf", 0, true)
	}
}

// perFunction reports whether functions[i] carry their own workloads; then
// a top-level workload is an error.
func (d *decoder) perFunction(top *object) bool {
	l, _ := top.m["functions"].([]any)
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			if _, has := m["workload"]; has {
				if top.has("workload") {
					top.fail("workload", "give the workload at the top or in each function, not both")
				}
				return true
			}
		}
	}
	return false
}

// finishWorkload settles what depends on both workload and functions:
// per-function workloads, Zipf weights, a trace's function table.
func (d *decoder) finishWorkload(top *object, s *Scenario) {
	if d.perFunction(top) {
		list, _ := top.list("functions")
		for i, f := range list {
			if !f.has("workload") {
				f.fail("workload", "missing; when one function has its own workload, every function needs one")
				continue
			}
			if sub, ok := f.sub("workload"); ok {
				n := len(d.probs)
				w := d.workload(sub)
				switch {
				case len(d.probs) > n:
				case w.Type == "trace":
					sub.fail("type", "a trace brings its own functions; want a generated workload here, or the trace at the top")
				case w.Zipf > 0:
					sub.fail("zipf", "zipf splits the top-level workload over functions; not a per-function key")
				}
				if i < len(s.Functions) {
					s.perFunction = append(s.perFunction, w)
				}
			}
		}
		s.Workload = Workload{Type: "per-function"}
		return
	}
	w := &s.Workload
	if w.Zipf > 0 {
		for i, z := range workloads.ZipfWeights(len(s.Functions), w.Zipf) {
			s.Functions[i].Weight = z
		}
	}
	if w.Type != "trace" || w.trace == nil {
		return
	}
	if d.userFunctions {
		top.fail("functions", "a trace brings its own functions (names, memory, execution times); leave functions out")
	}
	w.trace.Context = d.ctx
	tr, err := d.traces.read(sim.Seed(s.Seed), *w.trace)
	if err != nil {
		var te *workloads.TraceError
		if d.ctx.Err() != nil {
			return // decode returns the context's error
		}
		if errors.As(err, &te) {
			d.probs = append(d.probs, Problem{File: te.File, Path: te.Where(), Msg: te.Msg})
		} else {
			d.problem("workload", "%v", err)
		}
		return
	}
	w.Trace = tr
	s.Functions = tr.Table()
	// The calls in the window, each replayed scale times (the mean rate
	// over the run stands for the peak: a trace's is not known before a pass).
	// The copies of one call (scale) arrive at once.
	calls := float64(tr.Stats.Calls) * w.trace.Scale
	w.shape = shape{extra: calls, burst: math.Ceil(w.trace.Scale), path: "workload.path", reorder: w.trace.ReorderWindow.Seconds()}
	if tr.Stats.Calls > 0 && tr.Stats.ExecSeconds > 0 {
		w.shape.exec = tr.Stats.ExecSeconds / float64(tr.Stats.Calls)
	}
}

// newSource builds the scenario's workload for one system.
func (s *Scenario) newSource(seed sim.Seed) (workloads.Source, error) {
	switch {
	case s.Workload.Trace != nil:
		return s.Workload.Trace.NewSource(seed, s.Duration)
	case s.perFunction != nil:
		arr := make([]workloads.Arrivals, len(s.perFunction))
		for i, w := range s.perFunction {
			arr[i] = workloadTypes[w.Type].arrivals(w, seed, arrivalsStream+"/"+s.Functions[i].Name)
		}
		return workloads.NewPerFunction(seed, arr, s.Functions, s.Duration)
	}
	t, ok := workloadTypes[s.Workload.Type]
	if !ok || t.arrivals == nil {
		return nil, fmt.Errorf("scenarios: workload type %q cannot be simulated", s.Workload.Type)
	}
	return workloads.NewMixed(seed, t.arrivals(s.Workload, seed, arrivalsStream), s.Functions, s.Duration)
}

var traceKeys = []string{"format", "path", "durations", "memory", "spread", "select", "window", "scale",
	"skip_bad_rows", "min_memory_mb", "memory_mb", "exec", "reorder_window", "columns"}

// decodeTrace reads the trace keys; the files are read in finishWorkload,
// once the seed (for a sampled selection) is known.
func decodeTrace(o *object, w *Workload) bool {
	opts := workloads.TraceOptions{}
	ok := true
	if o.require("format", "one of "+strings.Join(workloads.TraceFormats, " | ")) {
		opts.Format, ok = o.oneOf("format", workloads.TraceFormats...)
	}
	if o.require("path", "the trace file (relative paths start at the scenario file's folder)") {
		if in, good := o.input("path"); good {
			opts.Invocations = in
		} else {
			ok = false
		}
	} else {
		ok = false
	}
	for _, k := range []struct {
		key string
		to  **workloads.Input
	}{{"durations", &opts.Durations}, {"memory", &opts.Memory}} {
		if !o.has(k.key) {
			continue
		}
		if opts.Format != workloads.FormatAzure2019 {
			o.fail(k.key, "only an azure2019 trace has a %s file; this trace is %s", k.key, opts.Format)
			ok = false
			continue
		}
		in, good := o.input(k.key)
		ok = ok && good
		*k.to = &in
	}
	if opts.Format == workloads.FormatAzure2019 && !o.has("durations") {
		o.fail("durations", "missing; an azure2019 trace needs its execution-time percentiles file (function_durations_percentiles.anon.d01.csv)")
		ok = false
	}
	var good bool
	opts.Spread, good = o.oneOf("spread", "uniform", "poisson")
	ok = ok && good
	opts.Scale, good = o.num("scale", 0, true)
	ok = ok && good
	opts.SkipBadRows, good = o.bool("skip_bad_rows")
	ok = ok && good
	opts.MinMemoryMB, good = o.int("min_memory_mb", 1)
	ok = ok && good
	opts.MemoryMB, good = o.int("memory_mb", 1)
	ok = ok && good
	opts.ReorderWindow, good = o.positive("reorder_window")
	ok = ok && good
	var exec dist.Spec
	exec, good = o.distribution("exec")
	opts.Exec = exec
	ok = ok && good
	if sel, has := o.sub("select"); has {
		sel.allow([]string{"functions", "apps", "triggers", "top", "sample"}, nil)
		opts.Select.Functions, good = sel.strings("functions")
		ok = ok && good
		opts.Select.Apps, good = sel.strings("apps")
		ok = ok && good
		opts.Select.Triggers, good = sel.strings("triggers")
		ok = ok && good
		if sel.has("top") {
			opts.Select.Top, good = sel.int("top", 1)
			ok = ok && good
		}
		if sel.has("sample") {
			opts.Select.Sample, good = sel.int("sample", 1)
			ok = ok && good
		}
	} else if o.has("select") {
		ok = false
	}
	if win, has := o.sub("window"); has {
		win.allow([]string{"from", "to"}, nil)
		if win.has("from") {
			opts.From, good = win.duration("from")
			ok = ok && good
		}
		if win.has("to") {
			opts.To, good = win.positive("to")
			ok = ok && good
			if good && opts.To <= opts.From {
				win.fail("to", "want a time after from (%v), found %v", opts.From, opts.To)
				ok = false
			}
		}
		if opts.Format == workloads.FormatAzure2019 && (opts.From%time.Minute != 0 || opts.To%time.Minute != 0) {
			o.fail("window", "want whole minutes for an azure2019 trace (it counts per minute), found from %v, to %v", opts.From, opts.To)
			ok = false
		}
	} else if o.has("window") {
		ok = false
	}
	if cols, has := o.sub("columns"); has {
		if opts.Format != workloads.FormatCSV {
			o.fail("columns", "only a csv trace has configurable columns; this trace is %s", opts.Format)
			ok = false
		}
		cols.allow([]string{"time", "function", "duration", "memory"}, nil)
		for _, c := range []struct {
			key string
			to  *string
		}{{"time", &opts.Columns.Time}, {"function", &opts.Columns.Function}, {"duration", &opts.Columns.Duration}, {"memory", &opts.Columns.Memory}} {
			if cols.has(c.key) {
				*c.to, good = cols.str(c.key)
				ok = ok && good
			}
		}
	} else if o.has("columns") {
		ok = false
	}
	if ok {
		w.trace = &opts
	}
	return ok
}

// strings reads a string or a list of strings.
func (o *object) strings(key string) ([]string, bool) {
	v, has := o.m[key]
	if !has {
		return nil, true
	}
	if s, isStr := v.(string); isStr && s != "" {
		return []string{s}, true
	}
	l, isList := v.([]any)
	if !isList || len(l) == 0 {
		o.fail(key, "want a string or a non-empty list of strings, found %s", describe(v))
		return nil, false
	}
	var out []string
	for i, e := range l {
		s, isStr := e.(string)
		if !isStr || s == "" {
			o.d.problem(fmt.Sprintf("%s[%d]", o.at(key), i), "want a non-empty string, found %s", describe(e))
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// input resolves a trace file named at key: against the embedded traces
// for an embedded example, against the scenario file's folder otherwise.
// A file that cannot be opened is reported at the key.
func (o *object) input(key string) (workloads.Input, bool) {
	p, ok := o.str(key)
	if !ok {
		return workloads.Input{}, false
	}
	var in workloads.Input
	if strings.HasPrefix(o.d.file, "embedded:") {
		clean := path.Clean(filepath.ToSlash(p))
		in = workloads.Input{Name: "embedded:" + clean, Open: func() (io.ReadCloser, error) { return embeddedTraces.Open(clean) }}
	} else {
		full := p
		if !filepath.IsAbs(p) {
			full = filepath.Join(filepath.Dir(o.d.file), p)
		}
		in = workloads.FileInput(full)
	}
	f, err := in.Open()
	if err != nil {
		if u := errors.Unwrap(err); u != nil {
			err = u
		}
		o.fail(key, "cannot open %s: %v", in.Name, err)
		return workloads.Input{}, false
	}
	f.Close()
	return in, true
}

// workloadInfo is results.json's "workload".
func (s *Scenario) workloadInfo() *reports.WorkloadInfo {
	info := &reports.WorkloadInfo{Type: s.Workload.Type, Functions: len(s.Functions)}
	if tr := s.Workload.Trace; tr != nil {
		info.Trace = &reports.TraceInfo{File: s.Workload.trace.Invocations.Name, Format: tr.Format, Rows: tr.Stats.Rows,
			SkippedRows: tr.Stats.SkippedRows, Calls: tr.Stats.Calls, OutsideWindow: tr.Stats.OutsideWindow}
	}
	return info
}

// traceProblem turns a bad trace row met during a run (the file changed
// since it was checked) into Problems, so the CLI exits 2 as for any bad input.
func traceProblem(err error) error {
	var te *workloads.TraceError
	if errors.As(err, &te) {
		return Problems{{File: te.File, Path: te.Where(), Msg: te.Msg}}
	}
	return err
}
