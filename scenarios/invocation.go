package scenarios

import (
	"fmt"
	"strings"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
)

// How a function is called (functions[i].invocation, errors, state) and
// what its deployment does to its cold starts (runtime, package_mb,
// snapstart): models/calls.go, invoke_*.go, runtimes.go. The invocation
// types are a registry, like workload types and keep-alive policies.

// invocationType decodes one functions[i].invocation.type.
type invocationType struct {
	keys     []string       // keys allowed beside type
	defaults map[string]any // laid under the user's keys
	decode   func(o *object) (models.InvocationType, bool)
	// cron: the type fires on a schedule, so the function's arrivals must
	// come from a cron workload.
	cron bool
}

var (
	asyncKeys     = []string{"retries", "max_event_age"}
	asyncDefaults = map[string]any{"retries": models.DefaultAsyncRetries, "max_event_age": durationKey(models.DefaultMaxEventAge)}
	queueKeys     = []string{"batch_size", "batch_window", "maximum_concurrency", "visibility_timeout", "max_receive_count",
		"partial_batch_response", "retention"}
	queueDefaults = map[string]any{"batch_size": models.DefaultBatchSize, "batch_window": "0s",
		"maximum_concurrency": models.DefaultQueueConcurrency, "visibility_timeout": durationKey(models.DefaultVisibilityTimeout),
		"max_receive_count": 0, "partial_batch_response": false, "retention": durationKey(models.DefaultRetention)}
	scheduleKeys2     = append([]string{"flexible_window"}, asyncKeys...)
	scheduleDefaults  = withDefaults(asyncDefaults, map[string]any{"flexible_window": "0s"})
	errorsKeys        = []string{"rate", "at"}
	stateKeys         = []string{"round_trips", "latency", "price_per_million"}
	stateDefaults     = map[string]any{"price_per_million": 0}
	maxStateTrips     = 1000
	maxPackageMB      = 10240.0 // a container image's limit, 10 GB
	invocationTypeKey = "type"
)

var invocationTypes = map[string]invocationType{
	"sync": {decode: func(*object) (models.InvocationType, bool) { return models.SyncInvocation{}, true }},
	"async": {keys: asyncKeys, defaults: asyncDefaults, decode: func(o *object) (models.InvocationType, bool) {
		a, ok := decodeAsync(o)
		return a, ok
	}},
	"queue":    {keys: queueKeys, defaults: queueDefaults, decode: decodeQueue},
	"schedule": {keys: scheduleKeys2, defaults: scheduleDefaults, decode: decodeSchedule, cron: true},
}

// intIn reads an integer from lo to hi.
func (o *object) intIn(key string, lo, hi int) (int, bool) {
	n, ok := o.int(key, lo)
	if ok && n > hi {
		o.fail(key, "want an integer from %d to %d, found %d", lo, hi, n)
		return 0, false
	}
	return n, ok
}

// durationIn reads a duration from lo to hi.
func (o *object) durationIn(key string, lo, hi time.Duration) (time.Duration, bool) {
	d, ok := o.duration(key)
	if ok && (d < lo || d > hi) {
		from := durationKey(lo)
		if lo == 0 {
			from = "0"
		}
		o.fail(key, "want a duration from %v to %v, found %v", from, durationKey(hi), o.m[key])
		return 0, false
	}
	return d, ok
}

func decodeAsync(o *object) (models.AsyncInvocation, bool) {
	r, ok1 := o.intIn("retries", 0, models.DefaultAsyncRetries)
	age, ok2 := o.durationIn("max_event_age", models.MinMaxEventAge, models.DefaultMaxEventAge)
	return models.AsyncInvocation{Retries: r, MaxEventAge: age}, ok1 && ok2
}

func decodeSchedule(o *object) (models.InvocationType, bool) {
	a, ok := decodeAsync(o)
	w, ok2 := o.durationIn("flexible_window", 0, models.MaxFlexibleWindow)
	return models.ScheduleInvocation{Async: a, FlexibleWindow: w}, ok && ok2
}

func decodeQueue(o *object) (models.InvocationType, bool) {
	q := models.QueueInvocation{}
	oks := []bool{}
	add := func(ok bool) { oks = append(oks, ok) }
	var ok bool
	q.BatchSize, ok = o.intIn("batch_size", 1, models.MaxBatchSize)
	add(ok)
	q.BatchWindow, ok = o.durationIn("batch_window", 0, models.MaxBatchWindow)
	add(ok)
	q.MaxConcurrency, ok = o.intIn("maximum_concurrency", 2, models.DefaultQueueConcurrency)
	add(ok)
	q.VisibilityTimeout, ok = o.durationIn("visibility_timeout", time.Second, models.MaxVisibilityTimeout)
	add(ok)
	q.MaxReceiveCount, ok = o.intIn("max_receive_count", 0, models.MaxReceiveCountLimit)
	add(ok)
	q.PartialBatchResponse, ok = o.bool("partial_batch_response")
	add(ok)
	q.Retention, ok = o.durationIn("retention", time.Minute, models.MaxRetention)
	add(ok)
	for _, ok := range oks {
		if !ok {
			return q, false
		}
	}
	if q.BatchSize > 10 && q.BatchWindow < time.Second {
		o.fail("batch_window", "%v with batch_size %d: a batch of more than 10 messages needs a window of at least 1s (Lambda's rule)",
			o.m["batch_window"], q.BatchSize)
		return q, false
	}
	return q, true
}

// invocation decodes the invocation map at key (a function's, or a
// system's for all its functions); name is the type it names.
func (d *decoder) invocation(o *object, key string) (typ models.InvocationType, name string) {
	inv, ok := o.sub(key)
	if !ok {
		return nil, ""
	}
	n, ok := inv.kind(invocationTypeKey, keysOf(invocationTypes), nil)
	if !ok {
		return nil, ""
	}
	t := invocationTypes[n]
	inv = d.object(inv.path, withDefaults(t.defaults, inv.m))
	inv.allow(append([]string{invocationTypeKey}, t.keys...), nil)
	if typ, ok := t.decode(inv); ok {
		return typ, n
	}
	return nil, ""
}

// calls decodes a function's invocation, errors and state; name is the
// invocation type it names ("" for sync by default).
func (d *decoder) calls(o *object) (c models.FunctionCalls, name string) {
	c.Type, name = d.invocation(o, "invocation")
	if e, ok := o.sub("errors"); ok {
		e.allow(errorsKeys, nil)
		if e.require("rate", "the probability that an attempt fails, a number from 0 to 1") {
			if p, ok := e.num("rate", 0, false); ok && p > 1 {
				e.fail("rate", "want a probability from 0 to 1, found %g", p)
			} else {
				c.Errors.Rate = p
			}
		}
		if e.has("at") {
			c.Errors.At, _ = e.positive("at")
		}
	}
	if s, ok := o.sub("state"); ok {
		s = d.object(s.path, withDefaults(stateDefaults, s.m))
		s.allow(stateKeys, nil)
		st := &models.State{}
		good := s.require("round_trips", fmt.Sprintf("round trips to the store per call, an integer from 1 to %d", maxStateTrips))
		good = s.require("latency", "a distribution of one round trip's time, like {dist: constant, value: 5ms}") && good
		if good {
			var ok1, ok2, ok3 bool
			st.RoundTrips, ok1 = s.intIn("round_trips", 1, maxStateTrips)
			st.Latency, ok2 = s.distribution("latency")
			st.PricePerMillion, ok3 = s.num("price_per_million", 0, false)
			if ok1 && ok2 && ok3 {
				c.State = st
			}
		}
	}
	return c, name
}

// deployment decodes runtime, package_mb and snapstart into f.
func (d *decoder) deployment(o *object, runtime *string, packageMB *float64, snapstart *bool) {
	if o.has("runtime") {
		if n, ok := o.str("runtime"); ok {
			if _, known := models.LookupRuntime(n); !known {
				o.fail("runtime", "unknown runtime %q; known: %s", n, strings.Join(models.RuntimeNames(), ", "))
			} else {
				*runtime = n
			}
		}
	}
	if mb, ok := o.num("package_mb", 0, false); ok && mb > maxPackageMB {
		o.fail("package_mb", "want a size from 0 to %g MB, found %g", maxPackageMB, mb)
	} else {
		*packageMB = mb
	}
	*snapstart, _ = o.bool("snapstart")
	if *snapstart {
		r, ok := models.LookupRuntime(*runtime)
		switch {
		case *runtime == "" && !o.has("runtime"):
			o.fail("snapstart", "needs a runtime that has SnapStart (Java 11+, Python 3.12+, .NET 8+); set runtime")
		case ok && !r.SnapStart:
			o.fail("snapstart", "runtime %s has no SnapStart; it exists for Java 11+, Python 3.12+ and .NET 8+ managed runtimes", *runtime)
		}
	}
}

// checkCron reports every function called on a schedule whose arrivals do
// not come from a cron workload: names are the functions' invocation
// types, systems the systems' (their invocation key, for every function).
func (d *decoder) checkCron(s *Scenario, names, systems []string) {
	check := func(path, n string, fn int) {
		if n == "" || !invocationTypes[n].cron {
			return
		}
		typ := s.Workload.Type
		if fn < len(s.perFunction) {
			typ = s.perFunction[fn].Type
		}
		if typ != "cron" {
			d.problem(path, "%s fires the function's cron workload; want the function's workload (or the top-level one) of type cron, found %s (function %q)",
				n, typ, s.Functions[fn].Name)
		}
	}
	for i, n := range names {
		check(fmt.Sprintf("functions[%d].invocation.type", i), n, i)
	}
	for j, n := range systems {
		for i := range s.Functions {
			check(fmt.Sprintf("systems[%d].invocation.type", j), n, i)
		}
	}
}

// checkFrontDoors reports a front door before a system whose functions are
// not all called synchronously: a gateway answers a request with its
// response, while an asynchronous or queued call's caller sees only that
// it was accepted (not modelled: put the front door on a system that
// calls synchronously).
func (d *decoder) checkFrontDoors(s *Scenario) {
	for j, sys := range s.Systems {
		if sys.FrontDoor == nil {
			continue
		}
		for i, c := range s.callsOf(sys) {
			if c.Type != nil && !c.Type.Direct() {
				d.problem(fmt.Sprintf("systems[%d].front_door", j),
					"function %q is called %s here; a front door answers synchronous calls only (remove front_door, or call it sync)",
					s.Functions[i].Name, c.Type)
				break
			}
		}
	}
}

// checkTimeouts reports a FaaS system whose timeout does not fit a
// function's invocation type (a queue's visibility timeout).
func (d *decoder) checkTimeouts(s *Scenario) {
	for j, sys := range s.Systems {
		if sys.FaaS == nil {
			continue
		}
		for i, c := range s.callsOf(sys) {
			if b, ok := c.Type.(models.TimeoutBounded); ok {
				if err := b.CheckTimeout(sys.FaaS.Timeout); err != nil {
					d.problem(fmt.Sprintf("systems[%d].timeout", j), "function %q: %v", s.Functions[i].Name, err)
					break
				}
			}
		}
	}
}

// callsOf are the calls of the scenario's functions on system sys: its
// invocation, when it sets one, replaces every function's type (the same
// events read by a fleet from a queue, or polled in batches of another
// size); errors and state stay the functions'.
func (s *Scenario) callsOf(sys System) []models.FunctionCalls {
	if sys.Invocation == nil {
		return s.Calls
	}
	calls := make([]models.FunctionCalls, len(s.Functions))
	copy(calls, s.Calls)
	for i := range calls {
		calls[i].Type = sys.Invocation
	}
	return calls
}

// wrapCalls puts the scenario's invocation layer before system m, if any
// function needs one there.
func (s *Scenario) wrapCalls(sys System, m models.System, seed sim.Seed) (models.System, error) {
	calls := s.callsOf(sys)
	if !models.NeedsInvoked(calls) {
		return m, nil
	}
	return models.NewInvoked(models.InvokedConfig{Functions: s.Functions, Calls: calls, CacheHitRatio: sys.CacheHitRatio, Seed: seed}, m)
}

// callEvents estimates the events an invocation layer adds over the run
// (estimate.go): each event's expected attempts (InvocationType.Attempts)
// each cost perAttempt events,
// plus one timer per attempt (a retry, a visibility timeout, a deferred
// poll); a poller's scaling step, one a minute, is too few to count.
func callEvents(calls []models.FunctionCalls, loads []fnLoad, perAttempt float64) float64 {
	var n float64
	for i, c := range calls {
		if i >= len(loads) || c.PassThrough() {
			continue
		}
		t := c.Type
		if t == nil {
			t = models.SyncInvocation{}
		}
		n += loads[i].arrivals * t.Attempts(c.Errors.Rate) * perAttempt
	}
	return n
}
