package scenarios

import (
	"strings"
	"time"

	"github.com/faasim/faasim/models"
)

// Decoders of the keep-warm policies (models/provisioned.go, ping.go,
// hybrid.go, keepalive.go). A nested keep-alive (the on-demand instances of
// provisioned, the instances pinged) defaults to defaultKeepAlive, AWS
// Lambda's observed idle lifetime.

// Registered in init: their decoders read nested keep-alives through the
// registry itself, which a map literal cannot refer to.
func init() {
	keepAlivePolicies["random"] = keepAlivePolicy{keys: []string{"idle"}, decode: decodeRandomKeepAlive, plain: true}
	keepAlivePolicies["provisioned"] = keepAlivePolicy{keys: []string{"instances", "schedule", "on_demand"}, decode: decodeProvisioned}
	keepAlivePolicies["ping"] = keepAlivePolicy{keys: []string{"every", "concurrency", "exec", "idle"}, decode: decodePing}
	keepAlivePolicies["hybrid-histogram"] = keepAlivePolicy{keys: hybridKeys, decode: decodeHybrid}
}

// nested reads the keep-alive at key, or the default when absent. A nested
// keep-alive must be plain (only its idle decisions are used).
func (o *object) nested(key string) (models.KeepAlive, bool) {
	if !o.has(key) {
		o.m[key] = defaultKeepAlive
	}
	k, ok := o.keepAlive(key)
	if !ok {
		return nil, false
	}
	if name := o.policyName(key); !keepAlivePolicies[name].plain {
		o.fail(key, "want a plain keep-alive (%s), found %s", strings.Join(plainPolicies(), ", "), k)
		return nil, false
	}
	return k, true
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
		p.Schedule, ok = o.schedule("schedule", -1)
	case o.require("instances", "the number of always-warm instances per function, an integer >= 0 (or a schedule)"):
		p.Instances, ok = o.int("instances", 0)
	default:
		ok = false
	}
	od, ok2 := o.nested("on_demand")
	p.OnDemand = od
	return p, ok && ok2
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
