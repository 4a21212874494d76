package scenarios

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
)

// Bounds of every number a scenario holds (docs/semantics.md#bounds). Above
// max a key is an error: the model would overflow, allocate without end or
// lose its meaning. Above warn it is accepted with a warning: no real
// platform allows it, so it is more likely a slip than an experiment.
// Both are checked by the object getters (num, int, duration), so every key
// is bounded whether or not its decoder thinks of it.

// bound is the range of one key.
type bound struct {
	min     float64 // durations: below (and above 0), an error
	max     float64 // above: an error
	why     string  // why max (or min), for the message
	warn    float64 // above: a warning (0: none)
	warnWhy string  // what real platforms allow
}

const (
	// MaxHorizon is the longest scenario duration: 10 years, with room
	// below the 292 years of int64 nanoseconds for every delay a run adds
	// to the clock (each at most dist.MaxSeconds).
	MaxHorizon = 10 * 365 * 24 * time.Hour
	// maxRate is one arrival per nanosecond, the clock's resolution.
	maxRate = 1e9
	// maxCount bounds counts that become model state (instances, workers,
	// slots): a million of them is already hundreds of MB.
	maxCount = 1e6
	// maxInt bounds every other integer (it fits the models' int32 fields).
	maxInt = 1e9
	// maxPrice bounds prices, USD per unit: list prices are below $100 per
	// unit, and a price near 1e308 would make the bill +Inf.
	maxPrice = 1e6
)

var (
	whyState = "each one is model state kept for the whole run"
	whyClock = "one arrival per nanosecond, the resolution of the simulated clock"
	memoryMB = bound{max: 1 << 20, why: "1 TB", warn: 32768, warnWhy: "the largest FaaS instances have 32 GB (Cloud Run; Lambda 10 GB)"}
	rate     = bound{max: maxRate, why: whyClock, warn: 1e6, warnWhy: "a million requests a second is beyond the busiest single services"}
	fleet    = bound{max: maxCount, why: whyState, warn: 10000, warnWhy: "larger than any single fleet an account runs"}

	// numBounds are keyed by the last parts of a key path, indices
	// dropped ("systems[0].autoscale.max" matches "autoscale.max", then "max").
	numBounds = map[string]bound{
		"memory_mb":                memoryMB,
		"min_memory_mb":            memoryMB,
		"exec_reference_memory_mb": memoryMB,
		"memory_billing_step_mb":   {max: 1 << 20, why: "1 TB"},
		"memory_billing_max_mb":    {max: 1 << 20, why: "1 TB"},
		"full_vcpu_memory_mb":      {max: 1 << 20, why: "1 TB"},
		"cpu_ghz_by_memory_mb":     {max: 100, why: "GHz", warn: 10, warnWhy: "no CPU runs above 6 GHz"},
		"vcpu":                     {max: 1024, why: "vCPUs", warn: 192, warnWhy: "the largest instances have 192 vCPUs"},
		"vcpu_ceiling":             {max: 1024, why: "vCPUs", warn: 192, warnWhy: "the largest instances have 192 vCPUs"},
		"memory_gb":                {max: 1 << 10, why: "1 TB", warn: 512, warnWhy: "the largest container tasks have 120 GB (Fargate)"},

		"max_concurrency":      {max: 1e7, why: whyState, warn: 100000, warnWhy: "platforms cap a function at tens of thousands of instances"},
		"account_concurrency":  {max: 1e7, why: whyState, warn: 100000, warnWhy: "platforms cap an account at tens of thousands of instances"},
		"instance_concurrency": {max: maxCount, why: whyState, warn: 1000, warnWhy: "the most any platform allows is 1,000 (Cloud Run)"},
		"min_instances":        {max: maxCount, why: whyState, warn: 1000, warnWhy: "Cloud Run allows at most 1,000 minimum instances"},
		"burst_rate":           {max: maxInt, why: "new instances per 10 s"},
		"instances":            fleet,
		"autoscale.min":        fleet,
		"autoscale.max":        fleet,
		"workers_per_instance": {max: maxCount, why: whyState, warn: 10000, warnWhy: "a server rarely serves more than 10,000 requests at once"},
		"queue_limit":          {max: maxInt, why: "requests"},
		"concurrency":          {max: 10000, why: "keep-warm calls every tick, each a request", warn: 100, warnWhy: "keep-warm tools ping a few dozen instances at most"},

		"rate":       rate,
		"trough":     rate,
		"peak":       rate,
		"from":       rate,
		"to":         rate,
		"multiplier": {max: maxRate, why: whyClock, warn: 1000, warnWhy: "flash crowds reach tens to hundreds of times the baseline"},
		"fanout":     {max: maxInt, why: "calls at one instant", warn: 1e6, warnWhy: "a million simultaneous calls from one timer is beyond any scheduler"},
		"zipf":       {max: 50, why: "weights 1/rank^zipf underflow to 0 beyond it", warn: 5, warnWhy: "measured popularity skews are 0.5 to 2"},
		"weight":     {max: 1e12, why: "a relative share; the sum of weights must stay finite"},
		"scale":      {max: maxCount, why: "copies of each trace call (their product with a count must fit 64 bits)", warn: 1000, warnWhy: "a thousandfold busier than the trace"},
		"top":        {max: maxInt, why: "functions"},
		"sample":     {max: maxInt, why: "functions"},
		"target":     {max: maxInt, why: "queued requests per instance"},

		"cv":          {max: 100, why: "beyond it the gamma sampler returns 0 for almost every draw and loses the mean", warn: 10, warnWhy: "measured execution times have a cv below 5"},
		"min_samples": {max: maxInt, why: "idle times"},

		"above_gb_seconds":            {max: 1e18, why: "GB-seconds a month"},
		"free_requests_per_month":     {max: 1e15, why: "a month"},
		"free_gb_seconds_per_month":   {max: 1e15, why: "a month"},
		"free_vcpu_seconds_per_month": {max: 1e15, why: "a month"},
		"free_ghz_seconds_per_month":  {max: 1e15, why: "a month"},

		// bills around the function (issue 12)
		"ephemeral_storage_mb":      {max: 1 << 20, why: "1 TB"}, // the preset limits it (Lambda: 10,240 MB)
		"ephemeral_storage_free_mb": {max: 1 << 20, why: "1 TB"},
		"above_requests":            {max: 1e18, why: "requests a month"},
		"kb_per_request":            {max: 1e9, why: "1 TB a request; the load balancer's GB must stay finite", warn: 1e6, warnWhy: "API Gateway and ALB requests are at most a few MB"},
		"committed_instances":       fleet,
		"max_backlog_mb":            {max: 1 << 20, why: "1 TB"},
	}

	// durBounds are the durations bounded below dist.MaxSeconds, which
	// bounds every other duration.
	durBounds = map[string]bound{
		"duration":   {max: MaxHorizon.Seconds(), why: "10 years"},
		"exec":       {warn: 24 * 3600, warnWhy: "no platform runs one request for a day (FaaS: 15 min on Lambda, 60 min on Cloud Run)"},
		"cold_start": {warn: 600, warnWhy: "measured cold starts take seconds, not minutes"},
		"boot":       {warn: 3600, warnWhy: "instances boot in minutes"},
		"timeout":    {warn: 24 * 3600, warnWhy: "no platform lets a request run a day"},
		// A FaaS bill counts granules in int64: at 1 ns, 292 years of
		// billed time overflow it; at 1 µs, 292,000 years.
		"billing_granularity": {min: 1e-6, why: "the bill counts granules in 64 bits; platforms bill by 1 ms or more"},
		// Each spot interruption is two events and a new instance.
		"interruption.every": {min: 1, why: "each interruption is an event and a launch; spot instances last hours, not seconds"},
		"queue_timeout":      {warn: 3600, warnWhy: "Cloud Run holds a request for 10 s (3.5 × a slow start at most)"},
	}
)

// maxDurationS bounds every duration (seconds): a draw is capped there too
// (dist.MaxSeconds), so no sum of a few delays overflows the clock.
var maxDurationS = dist.MaxSeconds

// boundOf finds the bound of the key at path in table: the longest match of
// the path's last parts, indices dropped.
func boundOf(table map[string]bound, path string) (bound, bool) {
	var parts []string
	for _, p := range strings.Split(path, ".") {
		if i := strings.IndexByte(p, '['); i >= 0 {
			p = p[:i]
		}
		if p != "" {
			parts = append(parts, p)
		}
	}
	for k := len(parts) - min(len(parts), 3); k < len(parts); k++ {
		if b, ok := table[strings.Join(parts[k:], ".")]; ok {
			return b, true
		}
	}
	return bound{}, false
}

// checkNumber reports v at key above its bound (an error: ok false) or
// above its warning level (a warning). integer: the key holds an integer
// (default bound maxInt); else a number (no default bound beyond finite,
// prices maxPrice).
func (o *object) checkNumber(key string, v float64, integer bool) bool {
	path := o.at(key)
	b, found := boundOf(numBounds, path)
	switch {
	case found:
	case strings.Contains(key, "price"):
		b = bound{max: maxPrice, why: "USD per unit; list prices are below $100"}
		if hi := presetMax(key); hi > 0 {
			b.warn, b.warnWhy = 100*hi, fmt.Sprintf("100 times the highest preset's (%g)", hi)
		}
	case integer:
		b = bound{max: maxInt}
	default:
		return true
	}
	if b.max > 0 && v > b.max {
		why := ""
		if b.why != "" {
			why = " (" + b.why + ")"
		}
		kind := "a number"
		if integer {
			kind = "an integer"
		}
		o.fail(key, "%g is too large; want %s up to %g%s", v, kind, b.max, why)
		return false
	}
	if b.warn > 0 && v > b.warn {
		o.d.warn(path, "%g is above %g: %s; simulated as given", v, b.warn, b.warnWhy)
	}
	return true
}

// checkDuration is checkNumber for a duration, in seconds.
func (o *object) checkDuration(key string, d time.Duration) bool {
	path := o.at(key)
	b, _ := boundOf(durBounds, path)
	max, why := maxDurationS, "50 years, the longest delay the simulated clock adds"
	if b.max > 0 {
		max, why = b.max, b.why
	}
	if d.Seconds() > max {
		o.fail(key, "%v is too long; want at most %v (%s)", d, dist.Seconds(max), why)
		return false
	}
	if d > 0 && d.Seconds() < b.min {
		o.fail(key, "%v is too short; want at least %v (%s)", d, dist.Seconds(b.min), b.why)
		return false
	}
	if b.warn > 0 && d.Seconds() > b.warn {
		o.d.warn(path, "%v is longer than %v: %s; simulated as given", d, dist.Seconds(b.warn), b.warnWhy)
	}
	return true
}

// checkSpec bounds a distribution at key: its 99th percentile must be a
// duration the clock can hold (a draw beyond dist.MaxSeconds is capped,
// which no run can notice only while such draws are rare), and its typical
// value (the median) is compared with the key's warning level.
func (o *object) checkSpec(key string, s dist.Spec) bool {
	p99, med := s.Quantile(0.99), s.Quantile(0.5)
	if math.IsNaN(p99) || p99 > maxDurationS {
		o.fail(key, "its 99th percentile is %.3g s, beyond 50 years, the longest delay the simulated clock adds; want a distribution whose p99 is at most %v",
			p99, dist.Seconds(maxDurationS))
		return false
	}
	b, _ := boundOf(durBounds, o.at(key))
	if b.warn > 0 && med > b.warn {
		o.d.warn(o.at(key), "median %v is longer than %v: %s; simulated as given", dist.Seconds(med), dist.Seconds(b.warn), b.warnWhy)
	}
	return true
}

// presetMaxes is the highest value of each numeric preset key.
var presetMaxes = func() map[string]float64 {
	m := map[string]float64{}
	for _, name := range models.PresetNames() {
		p, _ := models.LookupPreset(name)
		for k, v := range p.Keys {
			if f, ok := number(v); ok {
				m[k] = math.Max(m[k], f)
			}
		}
	}
	return m
}()

func presetMax(key string) float64 { return presetMaxes[key] }

// unique drops repeats (a key read twice, for a preset's limits and for the
// system, is reported once), keeping the order.
func unique(ps Problems) Problems {
	seen := map[Problem]bool{}
	out := ps[:0:0]
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// maxName bounds a name (scenario, system, function), bytes: names head
// table columns and name files.
const maxName = 200

// name reads a name: a non-empty string of at most maxName bytes without
// control characters (a newline or an escape sequence would garble the
// table, the CSV or the terminal).
func (o *object) name(key string) (string, bool) {
	s, ok := o.str(key)
	if !ok {
		return "", false
	}
	if len(s) > maxName {
		o.fail(key, "%s is too long; want a name of at most %d bytes", quote(s), maxName)
		return "", false
	}
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		o.fail(key, "%s holds a control character (%U); want printable characters", quote(s), []rune(s[i:])[0])
		return "", false
	}
	return s, true
}

// lowLoad warns of a workload that would bring less than one arrival over
// the run: a vanishing rate is accepted (it simulates nothing), but it is
// more likely a unit slip.
func (s *Scenario) lowLoad() Problems {
	h := s.Duration.Seconds()
	loads, total := s.loads(h)
	var n float64
	for _, l := range loads {
		n += l.arrivals
	}
	if s.Workload.Trace != nil || n >= 1 || total.path == "" {
		return nil
	}
	return Problems{{File: s.File, Path: total.path, Msg: fmt.Sprintf("about %.2g arrivals expected over %v; the run may see none", n, s.Duration)}}
}
