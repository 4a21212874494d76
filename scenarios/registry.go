package scenarios

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// The polymorphic sections of a scenario (workload.type, distributions'
// dist, keep_alive.policy) are decoded through these registries: a new
// kind is one entry, its keys are checked like any other section's, and
// the messages list what is supported from the registry itself.

// workloadType decodes and builds one workload.type.
type workloadType struct {
	keys   []string // keys allowed beside type
	decode func(o *object, w *Workload) bool
	// arrivals builds the process from the named random stream; nil for
	// trace, which is a whole Source.
	arrivals func(w Workload, seed sim.Seed, stream string) workloads.Arrivals
}

var workloadTypes = map[string]workloadType{
	"constant": {
		keys:     []string{"rate", "zipf"},
		decode:   decodeRate,
		arrivals: func(w Workload, _ sim.Seed, _ string) workloads.Arrivals { return workloads.NewConstant(w.Rate) },
	},
	"poisson": {
		keys:   []string{"rate", "zipf"},
		decode: decodeRate,
		arrivals: func(w Workload, seed sim.Seed, stream string) workloads.Arrivals {
			return workloads.NewPoissonStream(seed, stream, w.Rate)
		},
	},
	"mmpp":    {keys: []string{"states", "zipf"}, decode: decodeMMPP, arrivals: generated},
	"onoff":   {keys: []string{"rate", "on", "off", "zipf"}, decode: decodeOnOff, arrivals: generated},
	"diurnal": {keys: []string{"trough", "peak", "peak_at", "period", "zipf"}, decode: decodeDiurnal, arrivals: generated},
	"spike":   {keys: []string{"rate", "multiplier", "at", "length", "zipf"}, decode: decodeSpike, arrivals: generated},
	"cron":    {keys: []string{"every", "offset", "jitter", "fanout", "zipf"}, decode: decodeCron, arrivals: generated},
	"ramp":    {keys: []string{"from", "to", "length", "zipf"}, decode: decodeRamp, arrivals: generated},
	"mix":     {keys: []string{"components", "zipf"}, decode: decodeMix, arrivals: generated},
	"trace":   {keys: traceKeys, decode: decodeTrace},
}

// plannedWorkloads are the contract's workload types not simulated yet.
var plannedWorkloads = []string{}

func decodeRate(o *object, w *Workload) bool {
	if !o.require("rate", "requests per second, a number > 0") {
		return false
	}
	r, ok := o.num("rate", 0, true)
	w.Rate = r
	w.shape = shape{mean: r, peak: r, path: o.at("rate")}
	return ok
}

// distType decodes one distribution kind; values are seconds, as package
// dist wants them.
type distType struct {
	keys   []string // keys allowed beside dist
	decode func(o *object) (dist.Spec, bool)
}

var distTypes = map[string]distType{
	"constant": {[]string{"value"}, func(o *object) (dist.Spec, bool) {
		if !o.require("value", "a duration >= 0") {
			return nil, false
		}
		v, ok := o.seconds("value", false)
		return dist.Constant{Value: v}, ok
	}},
	"exponential": {[]string{"mean"}, func(o *object) (dist.Spec, bool) {
		if !o.require("mean", "a duration > 0") {
			return nil, false
		}
		m, ok := o.seconds("mean", true)
		return dist.Exponential{MeanS: m}, ok
	}},
	"lognormal": {[]string{"median", "p99", "mu", "sigma"}, decodeLogNormal},
	"gamma": {[]string{"mean", "cv"}, func(o *object) (dist.Spec, bool) {
		okM := o.require("mean", "a duration > 0")
		okC := o.require("cv", "the coefficient of variation, a number > 0")
		m, okM2 := o.seconds("mean", true)
		cv, okC2 := o.num("cv", 0, true)
		return dist.Gamma{MeanS: m, CV: cv}, okM && okC && okM2 && okC2
	}},
	"empirical": {[]string{"percentiles"}, decodeEmpirical},
}

// decodeLogNormal takes either form the contract allows, never both: a
// median and p99 (durations), or mu and sigma (log-seconds).
func decodeLogNormal(o *object) (dist.Spec, bool) {
	quantiles := o.has("median") || o.has("p99")
	params := o.has("mu") || o.has("sigma")
	switch {
	case quantiles && params:
		o.d.problem(o.path, "give median and p99, or mu and sigma, not both")
		return nil, false
	case params:
		okMu := o.require("mu", "the mean of log(seconds), a number")
		okSigma := o.require("sigma", "the standard deviation of log(seconds), a number >= 0")
		mu, ok1 := o.num("mu", math.Inf(-1), true)
		sigma, ok2 := o.num("sigma", 0, false)
		return dist.LogNormal{Mu: mu, Sigma: sigma}, okMu && okSigma && ok1 && ok2
	}
	okMed := o.require("median", "a duration > 0 (with p99; or give mu and sigma)")
	okP99 := o.require("p99", "a duration above the median (with median; or give mu and sigma)")
	med, ok1 := o.seconds("median", true)
	p99, ok2 := o.seconds("p99", true)
	if !(okMed && okP99 && ok1 && ok2) {
		return nil, false
	}
	if p99 <= med {
		o.fail("p99", "want a duration above the median (%v), found %v", o.m["median"], o.m["p99"])
		return nil, false
	}
	return dist.LogNormalMedianP99(med, p99), true
}

// decodeEmpirical reads percentiles: {0: D, ..., 100: D}, piecewise linear
// between them.
func decodeEmpirical(o *object) (dist.Spec, bool) {
	if !o.require("percentiles", "a map from percentile (0 to 100, including both) to duration") {
		return nil, false
	}
	ps, ok := o.sub("percentiles")
	if !ok {
		return nil, false
	}
	points := map[float64]float64{}
	given := map[float64]string{} // percentile -> the key that gave it
	for _, k := range slices.Sorted(maps.Keys(ps.m)) {
		p, err := strconv.ParseFloat(k, 64)
		if err != nil || p < 0 || p > 100 {
			ps.fail(k, "want a percentile, a number from 0 to 100, found %s", quote(k))
			ok = false
			continue
		}
		if first, dup := given[p]; dup { // 99.9 and 99.90: one percentile, two values
			ps.fail(k, "is percentile %g again (as %s); give each percentile once", p, first)
			ok = false
			continue
		}
		given[p] = k
		v, good := ps.seconds(k, false)
		ok = ok && good
		points[p] = v
	}
	if !ok {
		return nil, false
	}
	e, err := dist.NewEmpirical(points)
	if err != nil {
		o.d.problem(ps.path, "%v", err)
		return nil, false
	}
	return e, true
}

// keepAlivePolicy decodes one keep_alive.policy.
type keepAlivePolicy struct {
	keys   []string // keys allowed beside policy
	decode func(o *object) (models.KeepAlive, bool)
	// plain: the policy only decides idle lifetimes (no instances, events
	// or bill lines of its own), so it may be nested in another.
	plain bool
}

var keepAlivePolicies = map[string]keepAlivePolicy{
	"fixed": {keys: []string{"idle"}, plain: true, decode: func(o *object) (models.KeepAlive, bool) {
		if !o.require("idle", "a duration > 0 (how long an idle instance stays warm)") {
			return nil, false
		}
		idle, ok := o.positive("idle")
		return models.FixedKeepAlive{Idle: idle}, ok
	}},
	"none":    {plain: true, decode: func(*object) (models.KeepAlive, bool) { return models.NoKeepAlive{}, true }},
	"forever": {plain: true, decode: func(*object) (models.KeepAlive, bool) { return models.ForeverKeepAlive{}, true }},
}

// plainPolicies lists the policies that may be nested, sorted.
func plainPolicies() []string {
	var names []string
	for _, n := range keysOf(keepAlivePolicies) {
		if keepAlivePolicies[n].plain {
			names = append(names, n)
		}
	}
	return names
}

// policyName is the policy named by the keep-alive map at key (checked).
func (o *object) policyName(key string) string {
	m, _ := o.m[key].(map[string]any)
	s, _ := m["policy"].(string)
	return s
}

// plannedKeepAlive are the contract's policies not simulated yet.
var plannedKeepAlive = []string{}

// kind reads the key that picks an entry of a registry (type, dist,
// policy), telling apart what is planned from what is unknown.
func (o *object) kind(key string, supported, planned []string) (string, bool) {
	list := strings.Join(supported, " | ")
	if !o.require(key, "one of "+list) {
		return "", false
	}
	s, ok := o.str(key)
	switch {
	case !ok:
		return "", false
	case slices.Contains(planned, s):
		o.fail(key, "%q is not supported yet (supported: %s)", s, strings.Join(supported, ", "))
		return "", false
	case !slices.Contains(supported, s):
		o.fail(key, "want one of %s, found %q", list, s)
		return "", false
	}
	return s, true
}

// distribution reads the distribution at key, e.g.
// {dist: lognormal, median: 80ms, p99: 400ms}.
func (o *object) distribution(key string) (dist.Spec, bool) {
	if v, ok := o.m[key]; ok {
		if _, isMap := v.(map[string]any); !isMap {
			o.fail(key, "want a distribution like {dist: constant, value: 100ms}, found %s", describe(v))
			return nil, false
		}
	}
	d, ok := o.sub(key)
	if !ok {
		return nil, false
	}
	name, ok := d.kind("dist", keysOf(distTypes), nil)
	if !ok {
		return nil, false
	}
	t := distTypes[name]
	d.allow(append([]string{"dist"}, t.keys...), nil)
	spec, ok := t.decode(d)
	if ok {
		ok = o.checkSpec(key, spec)
	}
	return spec, ok
}

func (o *object) keepAlive(key string) (models.KeepAlive, bool) {
	k, ok := o.sub(key)
	if !ok {
		return nil, false
	}
	name, ok := k.kind("policy", keysOf(keepAlivePolicies), plannedKeepAlive)
	if !ok {
		return nil, false
	}
	p := keepAlivePolicies[name]
	k.allow(append([]string{"policy"}, p.keys...), nil)
	return p.decode(k)
}

// keysOf lists a registry's names, sorted.
func keysOf[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
