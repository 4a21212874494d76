package scenarios

import (
	"sort"
	"time"

	"github.com/faasim/faasim/models"
)

// Decoders of the keep-warm policies (models/policy.go). A nested keep-alive
// (the on-demand instances of provisioned, the instances pinged) defaults to
// {policy: fixed, idle: 10m}, AWS Lambda's observed idle lifetime.

// Registered in init: their decoders read nested keep-alives through the
// registry itself, which a map literal cannot refer to.
func init() {
	keepAlivePolicies["random"] = keepAlivePolicy{[]string{"idle"}, decodeRandomKeepAlive}
	keepAlivePolicies["provisioned"] = keepAlivePolicy{[]string{"instances", "schedule", "on_demand"}, decodeProvisioned}
	keepAlivePolicies["ping"] = keepAlivePolicy{[]string{"every", "concurrency", "exec", "idle"}, decodePing}
	keepAlivePolicies["hybrid-histogram"] = keepAlivePolicy{hybridKeys, decodeHybrid}
}

var defaultNestedKeepAlive = map[string]any{"policy": "fixed", "idle": "10m"}

// nested reads the keep-alive at key, or the default when absent. A nested
// keep-alive may not itself be provisioned, ping or hybrid.
func (o *object) nested(key string) (models.KeepAlive, bool) {
	if !o.has(key) {
		o.m[key] = defaultNestedKeepAlive
	}
	k, ok := o.keepAlive(key)
	if !ok {
		return nil, false
	}
	switch k.(type) {
	case models.FixedKeepAlive, models.NoKeepAlive, models.ForeverKeepAlive, models.RandomKeepAlive:
		return k, true
	}
	o.fail(key, "want a plain keep-alive (fixed, none, forever or random), found %s", k)
	return nil, false
}

func decodeRandomKeepAlive(o *object) (models.KeepAlive, bool) {
	if !o.require("idle", "a distribution of idle lifetimes, like {dist: lognormal, median: 10m, p99: 30m}") {
		return nil, false
	}
	d, ok := o.distribution("idle")
	return models.RandomKeepAlive{Idle: d}, ok
}

func decodeProvisioned(o *object) (models.KeepAlive, bool) {
	p := models.ProvisionedKeepAlive{}
	ok := true
	switch {
	case o.has("instances") && o.has("schedule"):
		o.fail("schedule", "give instances (a constant count) or schedule (counts by time of day), not both")
		ok = false
	case o.has("schedule"):
		p.Schedule, ok = o.schedule("schedule")
	case o.require("instances", "the number of always-warm instances per function, an integer >= 0 (or a schedule)"):
		p.Instances, ok = o.int("instances", 0)
	default:
		ok = false
	}
	od, ok2 := o.nested("on_demand")
	p.OnDemand = od
	return p, ok && ok2
}

// schedule reads [{at: "08:00", instances: 10}, ...]: times of day from the
// scenario start (midnight), repeating daily.
func (o *object) schedule(key string) ([]models.ScheduleStep, bool) {
	items, ok := o.list(key)
	if !ok || len(items) == 0 {
		if ok {
			o.fail(key, "want at least one {at: HH:MM, instances: N}")
		}
		return nil, false
	}
	var steps []models.ScheduleStep
	for _, it := range items {
		it.allow([]string{"at", "instances"}, nil)
		var st models.ScheduleStep
		good := it.require("at", `a time of day "HH:MM"`) && it.require("instances", "an integer >= 0")
		if good {
			s, sok := it.str("at")
			t, err := time.Parse("15:04", s)
			if sok && err != nil {
				it.fail("at", `want a time of day "HH:MM" (00:00 to 23:59), found %q`, s)
				good = false
			}
			st.At = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
			n, nok := it.int("instances", 0)
			st.Instances = n
			good = good && sok && nok
		}
		if !good {
			return nil, false
		}
		steps = append(steps, st)
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].At < steps[j].At })
	for i := 1; i < len(steps); i++ {
		if steps[i].At == steps[i-1].At {
			o.fail(key, "two steps at %v", steps[i].At)
			return nil, false
		}
	}
	return steps, true
}

func decodePing(o *object) (models.KeepAlive, bool) {
	p := models.PingKeepAlive{Concurrency: 1, Exec: time.Millisecond}
	ok := o.require("every", "a duration > 0 (the ping interval, e.g. 5m)")
	if ok {
		p.Every, ok = o.positive("every")
	}
	if o.has("concurrency") {
		n, cok := o.int("concurrency", 1)
		p.Concurrency, ok = n, ok && cok
	}
	if o.has("exec") {
		d, eok := o.positive("exec")
		p.Exec, ok = d, ok && eok
	}
	idle, iok := o.nested("idle")
	p.Idle = idle
	return p, ok && iok
}

// maxHybridBins bounds a hybrid histogram: 4 bytes a bin, per function.
const maxHybridBins = 100_000

var hybridKeys = []string{"bin", "range", "head", "tail", "margin", "min_cv", "min_samples", "max_oob_share", "fallback"}

func decodeHybrid(o *object) (models.KeepAlive, bool) {
	p := models.DefaultHybridParams()
	ok := true
	dur := func(key string, dst *time.Duration) {
		if o.has(key) {
			v, good := o.positive(key)
			*dst, ok = v, ok && good
		}
	}
	num := func(key string, lo, hi float64, dst *float64) {
		if o.has(key) {
			v, good := o.num(key, lo, false)
			if good && v > hi {
				o.fail(key, "want a number from %g to %g, found %g", lo, hi, v)
				good = false
			}
			*dst, ok = v, ok && good
		}
	}
	dur("bin", &p.Bin)
	dur("range", &p.Range)
	dur("fallback", &p.Fallback)
	num("head", 0, 100, &p.Head)
	num("tail", 0, 100, &p.Tail)
	num("margin", 0, 1, &p.Margin)
	num("min_cv", 0, 1e9, &p.MinCV)
	num("max_oob_share", 0, 1, &p.MaxOOBShare)
	if o.has("min_samples") {
		n, good := o.int("min_samples", 1)
		p.MinSamples, ok = n, ok && good
	}
	if ok && p.Head > p.Tail {
		o.fail("head", "head percentile %g is above tail %g", p.Head, p.Tail)
		ok = false
	}
	if ok && p.Range < p.Bin {
		o.fail("range", "range %v is shorter than one bin (%v)", p.Range, p.Bin)
		ok = false
	}
	if n := p.Range / p.Bin; ok && n > maxHybridBins {
		o.fail("bin", "range %v in bins of %v is %d bins; want at most %d (each function keeps a counter per bin; the paper uses 240)",
			p.Range, p.Bin, n, maxHybridBins)
		ok = false
	}
	return models.HybridKeepAlive{Params: p}, ok
}
