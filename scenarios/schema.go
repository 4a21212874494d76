package scenarios

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/workloads"
)

var (
	topKeys = []string{"name", "seed", "duration", "warmup", "workload", "functions", "systems", "report", "slo", "sweep", "goal",
		"max_backlog_mb"}
	functionKeys = []string{"name", "memory_mb", "exec", "weight", "workload", "cpu_bound", "exec_reference_memory_mb",
		"ephemeral_storage_mb", "invocation", "errors", "state", "runtime", "package_mb", "snapstart"}
	systemKeys = []string{"name", "type", "platform", "override_limits", "front_door", "purchase", "invocation"}
	faasKeys   = []string{"cold_start", "keep_alive", "max_concurrency", "instance_concurrency", "on_throttle",
		"timeout", "price_per_gb_second", "price_per_million_requests", "billing_granularity", "billing_minimum", "bill_init",
		// platform catalogue: docs/platforms.md
		"billing_model", "account_concurrency", "burst_rate", "min_instances", "memory_mb",
		"price_per_vcpu_second", "vcpu", "price_per_ghz_second", "cpu_ghz_by_memory_mb",
		"memory_billing_step_mb", "memory_billing_max_mb", "price_tiers",
		"free_tier", "free_requests_per_month", "free_gb_seconds_per_month", "free_vcpu_seconds_per_month", "free_ghz_seconds_per_month",
		"baseline_price_per_gb_second", "baseline_price_per_vcpu_second",
		"provisioned_price_per_gb_second", "provisioned_duration_price_per_gb_second", "provisioned_rounding",
		"full_vcpu_memory_mb", "vcpu_ceiling",
		// bills around the function (issue 12): docs/platforms.md
		"ephemeral_storage_mb", "ephemeral_storage_price_per_gb_second", "ephemeral_storage_free_mb",
		"queue_timeout", "baseline_idle_only", "purchase_discounts", "cold_start_per_package_mb"}
	serverKeys = []string{"instances", "workers_per_instance", "queue_limit", "timeout", "price_per_hour",
		"billing_minimum", "billing_granularity", "vcpu", "memory_gb", "price_per_vcpu_hour", "price_per_gb_hour", "boot", "autoscale", "schedule",
		"purchase_discounts", "spot_first_hour_free", "cache_hit_ratio"}
	priceTierKeys = []string{"above_gb_seconds", "price_per_gb_second"}
)

// decode checks raw (keys already lowercased) and returns the Scenario, or
// every problem found.
func decode(ctx context.Context, file string, raw map[string]any, traces *traceCache) (*Scenario, error) {
	d := &decoder{file: file, ctx: ctx, traces: traces}
	_, d.userFunctions = raw["functions"]
	s := d.scenario(d.object("", withDefaults(scenarioDefaults, raw)))
	if err := ctx.Err(); err != nil {
		return nil, err // interrupted while reading a trace
	}
	if len(d.probs) > 0 {
		return nil, unique(d.probs)
	}
	s.File = file
	s.Warnings = unique(append(d.warnings, s.lowLoad()...))
	return s, nil
}

func (d *decoder) scenario(o *object) *Scenario {
	s := &Scenario{}
	o.allow(topKeys, nil)
	if o.require("name", "a string naming the scenario") {
		s.Name, _ = o.name("name")
	}
	s.Seed, _ = o.uint64("seed")
	s.Sweep = o.has("sweep") || o.has("goal")
	var durOK bool
	if o.require("duration", "the simulated time, a duration like 24h") {
		s.Duration, durOK = o.positive("duration")
	}
	if w, ok := o.duration("warmup"); ok && durOK && w >= s.Duration {
		o.fail("warmup", "want a duration shorter than duration (%v), found %v", o.m["duration"], o.m["warmup"])
	} else {
		s.Warmup = w
	}
	if !d.perFunction(o) && o.require("workload", "a map like {type: poisson, rate: 20}") {
		if w, ok := o.sub("workload"); ok {
			s.Workload = d.workload(w)
		}
	}
	var callTypes []string
	s.Functions, s.Calls, callTypes = d.functions(o)
	s.MaxBacklogMB, _ = o.num("max_backlog_mb", 0, true)
	s.Report = d.report(o, s.Duration-s.Warmup)
	s.SLO = d.slo(o)
	d.finishWorkload(o, s)
	if o.require("systems", "a list of one or more systems to compare") {
		s.Systems = d.systems(o, s.Functions)
	}
	var sysTypes []string
	for _, sys := range s.Systems {
		sysTypes = append(sysTypes, sys.invocationName)
	}
	d.checkCron(s, callTypes, sysTypes)
	d.checkFrontDoors(s)
	d.checkTimeouts(s)
	return s
}

func (d *decoder) workload(o *object) Workload {
	w := Workload{}
	name, ok := o.kind("type", keysOf(workloadTypes), plannedWorkloads)
	if !ok {
		return w
	}
	w.Type = name
	t := workloadTypes[name]
	o = d.object(o.path, withDefaults(workloadDefaults[name], o.m))
	o.allow(append([]string{"type"}, t.keys...), nil)
	t.decode(o, &w)
	d.workloadCommon(o, &w)
	return w
}

func (d *decoder) functions(top *object) ([]workloads.Function, []models.FunctionCalls, []string) {
	list, _ := top.list("functions")
	if l, isList := top.m["functions"].([]any); isList && len(l) == 0 {
		top.fail("functions", "want at least one function, or leave functions out for one named %q", defaultFunctionName)
	}
	var fns []workloads.Function
	var calls []models.FunctionCalls
	var callTypes []string
	names := uniqueNames{}
	for _, raw := range list {
		o := d.object(raw.path, withDefaults(functionDefaults, raw.m))
		o.allow(functionKeys, nil)
		f := workloads.Function{Name: defaultFunctionName}
		if len(list) > 1 {
			o.require("name", "a unique name (required when there is more than one function)")
		}
		if name, ok := o.name("name"); ok {
			f.Name = name
		}
		names.check(o, f.Name)
		f.MemoryMB, _ = o.int("memory_mb", 1)
		f.Exec, _ = o.distribution("exec")
		f.Weight, _ = o.num("weight", 0, true)
		if s, ok := o.num("cpu_bound", 0, false); ok && s > 1 {
			o.fail("cpu_bound", "want a share from 0 to 1, found %g", s)
		} else {
			f.CPUBound = s
		}
		f.ExecMemoryMB, _ = o.int("exec_reference_memory_mb", 0)
		f.EphemeralStorageMB, _ = o.int("ephemeral_storage_mb", 1)
		d.deployment(o, &f.Runtime, &f.PackageMB, &f.SnapStart)
		c, typ := d.calls(o)
		fns = append(fns, f)
		calls = append(calls, c)
		callTypes = append(callTypes, typ)
	}
	if !models.NeedsInvoked(calls) {
		calls = nil // every call goes straight through: no invocation layer
	}
	return fns, calls, callTypes
}

func (d *decoder) systems(top *object, fns []workloads.Function) []System {
	list, _ := top.list("systems")
	if l, isList := top.m["systems"].([]any); isList && len(l) == 0 {
		top.fail("systems", "want at least one system")
	}
	var systems []System
	names := uniqueNames{}
	for _, o := range list {
		sys, ok := d.system(o, fns)
		names.check(o, sys.Name)
		if ok {
			systems = append(systems, sys)
		}
	}
	d.fileNames(list, systems)
	return systems
}

// uniqueNames refuses a name given twice, or twice but for case: names
// ignore case, as keys do, since they name files (on a case-insensitive
// file system Lambda.csv is lambda.csv) and key paths (systems[lambda]).
type uniqueNames map[string]uniqueName

type uniqueName struct{ name, path string }

func (u uniqueNames) check(o *object, name string) {
	if name == "" {
		return
	}
	low := strings.ToLower(name)
	switch first, dup := u[low]; {
	case dup && first.name == name:
		o.fail("name", "%s is already the name of %s; want a unique name", quote(name), first.path)
	case dup:
		o.fail("name", "%s and %s (the name of %s) differ only in case, and names ignore case (they name files); want a unique name",
			quote(name), quote(first.name), first.path)
	default:
		u[low] = uniqueName{name, o.path}
	}
}

// fileNames refuses systems whose output files would collide: a system
// named lambda.timeseries writes lambda.timeseries.csv, which is also the
// time series of a system named lambda.
func (d *decoder) fileNames(list []*object, systems []System) {
	if len(list) != len(systems) {
		return // a bad system has no files to compare
	}
	s := &Scenario{Systems: systems}
	owner := map[string]int{}
	for i, base := range s.FileNames() {
		for _, suffix := range []string{".csv", ".timeseries.csv", ".latency.csv"} {
			f := strings.ToLower(base + suffix)
			if j, dup := owner[f]; dup && j != i {
				list[i].fail("name", "%s would write %s, which is also a file of system %s (%s); want a name that is not another's plus .timeseries or .latency",
					quote(systems[i].Name), base+suffix, quote(systems[j].Name), list[j].path)
				return
			}
			owner[f] = i
		}
	}
}

// system decodes one systems[i]: it settles the kind and the preset from
// the keys as written, then decodes the preset's keys overridden by the
// scenario's, key by key.
func (d *decoder) system(o *object, fns []workloads.Function) (System, bool) {
	sys := System{}
	if o.require("name", "a unique name for this system") {
		sys.Name, _ = o.name("name")
	}
	typ, typOK := "", true
	if o.has("type") {
		typ, typOK = o.oneOf("type", "faas", "server")
	}
	var preset *models.Preset
	if o.has("platform") {
		name, ok := o.str("platform")
		p, found := models.LookupPreset(name)
		switch {
		case !ok:
			return sys, false
		case !found:
			o.fail("platform", "unknown platform %q; known: %s", name, strings.Join(platformNames(), ", "))
			return sys, false
		case p.Kind == FrontDoorKind:
			o.fail("platform", "%s", notAFrontDoor(name))
			return sys, false
		case typ != "" && typ != p.Kind:
			o.fail("type", "%s, but platform %s is a %s platform; want type %s or another platform", typ, name, p.Kind, p.Kind)
			return sys, false
		}
		preset, sys.Platform, typ = &p, name, p.Kind
	}
	if !typOK {
		return sys, false
	}
	if typ == "" {
		o.fail("type", "missing; want faas or server, or name a platform (known: %s)", strings.Join(platformNames(), ", "))
		return sys, false
	}
	sys.Type = typ
	sys.Invocation, sys.invocationName = d.invocation(o, "invocation")

	defaults, keys, otherKeys, other := faasDefaults, faasKeys, serverKeys, "server"
	if typ == "server" {
		defaults, keys, otherKeys, other = serverDefaults, serverKeys, faasKeys, "faas"
	}
	m := defaults
	if preset != nil {
		m = withDefaults(m, normalize(preset.Keys).(map[string]any))
	}
	o = d.object(o.path, withDefaults(m, o.m))
	o.allow(append(slices.Clone(systemKeys), keys...), func(k string) string {
		if slices.Contains(otherKeys, k) {
			return fmt.Sprintf("%s is a key of %s systems; this system is %s (allowed: %s)",
				k, other, typ, strings.Join(sorted(keys), ", "))
		}
		return ""
	})
	n := len(d.probs)
	timeout, timeoutOK := o.duration("timeout") // both kinds have one; limits checks it too
	if typ == "faas" {
		sys.FaaS = d.faas(o)
		sys.FaaS.Timeout = timeout
	} else {
		sys.Server = d.server(o)
		sys.Server.Timeout = timeout
		if r, ok := o.num("cache_hit_ratio", 0, false); ok && r > 1 {
			o.fail("cache_hit_ratio", "want a share from 0 to 1, found %g", r)
		} else {
			sys.CacheHitRatio = r
		}
	}
	switch {
	case preset != nil:
		d.limits(o, preset, sys.Name, fns, timeout, timeoutOK)
	case o.has("override_limits"):
		o.fail("override_limits", "only a platform has limits to override; this system names none")
	}
	if len(d.probs) == n {
		d.purchase(o, &sys, preset)
	}
	if o.has("front_door") {
		sys.FrontDoor = d.frontDoor(o, typ)
	}
	ok := len(d.probs) == n
	if ok {
		sys.Params = resolvedParams(o.m, sys, fns)
	}
	return sys, ok
}

// needPlatform reports a key that only a preset could have supplied.
func needPlatform(o *object, key string) bool {
	if o.has(key) {
		return true
	}
	o.fail(key, "missing; name a platform (known: %s) or set %s", strings.Join(platformNames(), ", "), key)
	return false
}

func (d *decoder) faas(o *object) *models.FaaSConfig {
	c := &models.FaaSConfig{}
	for _, k := range []string{"cold_start", "price_per_gb_second", "price_per_million_requests"} {
		needPlatform(o, k)
	}
	c.ColdStart, _ = o.distribution("cold_start")
	c.KeepAlive, _ = o.keepAlive("keep_alive")
	c.MaxConcurrency, _ = o.int("max_concurrency", 0)
	c.InstanceConcurrency, _ = o.int("instance_concurrency", 1)
	if t, ok := o.oneOf("on_throttle", "reject", "queue"); ok && t == "queue" {
		c.OnThrottle = models.ThrottleQueue
	}
	c.Billing.PricePerGBSecond, _ = o.num("price_per_gb_second", 0, false)
	c.Billing.PricePerMillionRequests, _ = o.num("price_per_million_requests", 0, false)
	c.Billing.Granularity, _ = o.positive("billing_granularity")
	c.Billing.MinimumBilled, _ = o.duration("billing_minimum")
	c.Billing.InitBilled, _ = o.bool("bill_init")
	c.ColdStartPerPackageMB, _ = o.duration("cold_start_per_package_mb")
	d.catalogue(o, c)
	if p, ok := c.KeepAlive.(models.ProvisionedKeepAlive); ok && c.MaxConcurrency > 0 {
		for _, st := range append(p.Schedule, models.ScheduleStep{Instances: p.Instances}) {
			if st.Instances > c.MaxConcurrency {
				o.fail("keep_alive", "provisions %d instances, above max_concurrency %d", st.Instances, c.MaxConcurrency)
				break
			}
		}
	}
	return c
}

func (d *decoder) server(o *object) *models.ServerConfig {
	c := &models.ServerConfig{}
	switch {
	case o.has("autoscale") || o.has("schedule"): // instances: the count at time 0, optional (fleet.go)
		c.Instances, _ = o.int("instances", 1)
	case o.require("instances", "the number of always-on instances, an integer >= 1"):
		c.Instances, _ = o.int("instances", 1)
	}
	c.WorkersPerInstance, _ = o.int("workers_per_instance", 1)
	c.QueueLimit, _ = o.int("queue_limit", 0)
	c.Billing.PricePerHour = serverPrice(o)
	c.Billing.MinimumBilled, _ = o.duration("billing_minimum")
	c.Billing.Granularity, _ = o.positive("billing_granularity")
	d.scaling(o, c)
	return c
}

// limitedKeys are the keys a preset's limits bound, for override_limits.
var limitedKeys = []string{"ephemeral_storage_mb", "instance_concurrency", "memory_mb", "timeout"}

// limits checks the merged keys against the preset's hard limits (a
// timeout or memory the real platform would refuse). A key listed in
// override_limits is simulated beyond its limit on purpose: a warning.
func (d *decoder) limits(o *object, preset *models.Preset, system string, fns []workloads.Function, t time.Duration, tOK bool) {
	over := d.overrides(o)
	beyond := func(key, path, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if over[key] {
			d.warn(path, "%s; simulated anyway (override_limits)", msg)
			return
		}
		d.problem(path, "%s (or list %s in override_limits to simulate it anyway)", msg, key)
	}
	if s, ok := preset.Limits["max_timeout"].(string); ok && tOK {
		if max, err := time.ParseDuration(s); err == nil && (t == 0 || t > max) {
			beyond("timeout", o.at("timeout"), "%v exceeds platform %s's limit; want a duration from 1ns to %v",
				describeTimeout(t), preset.Name, max)
		}
	}
	if s, ok := preset.Limits["max_instance_concurrency"]; ok {
		if n, _ := number(s); n > 0 {
			if ic, ok := o.int("instance_concurrency", 1); ok && float64(ic) > n {
				beyond("instance_concurrency", o.at("instance_concurrency"), "%d exceeds platform %s's limit; want 1 to %g", ic, preset.Name, n)
			}
		}
	}
	d.rangeLimit(o, preset, system, fns, "ephemeral_storage_mb", "ephemeral storage", func(f workloads.Function) int { return f.EphemeralStorageMB }, beyond)
	lo, hasLo := number(preset.Limits["min_memory_mb"])
	hi, hasHi := number(preset.Limits["max_memory_mb"])
	if !hasLo && !hasHi {
		return
	}
	if !hasHi {
		hi = float64(1 << 53)
	}
	if m, ok := o.int("memory_mb", 0); ok && m != 0 && (float64(m) < lo || float64(m) > hi) {
		beyond("memory_mb", o.at("memory_mb"), "%d MB is outside what platform %s allows; want %g to %g", m, preset.Name, lo, hi)
		return
	} else if ok && m != 0 {
		return // the system's memory replaces the functions'
	}
	for j, f := range fns {
		if f.MemoryMB != 0 && (float64(f.MemoryMB) < lo || float64(f.MemoryMB) > hi) {
			beyond("memory_mb", fmt.Sprintf("functions[%d].memory_mb", j),
				"%d MB is outside what platform %s (system %q) allows; want %g to %g", f.MemoryMB, preset.Name, system, lo, hi)
		}
	}
}

// overrides reads override_limits: the keys whose platform limit the
// scenario lifts on purpose.
func (d *decoder) overrides(o *object) map[string]bool {
	names, ok := o.strings("override_limits")
	if !ok {
		return nil
	}
	m := map[string]bool{}
	for _, n := range names {
		if !slices.Contains(limitedKeys, n) {
			o.fail("override_limits", "%s is not a key a platform limits; want some of %s", quote(n), strings.Join(limitedKeys, ", "))
			continue
		}
		m[n] = true
	}
	return m
}

func describeTimeout(t time.Duration) string {
	if t == 0 {
		return "0 (no timeout)"
	}
	return t.String()
}

// rangeLimit checks a per-function size (key on the function, overridable
// on the system) against the preset's min_KEY and max_KEY limits, reporting
// through beyond (an error, or a warning where override_limits lists key).
func (d *decoder) rangeLimit(o *object, preset *models.Preset, system string, fns []workloads.Function, key, what string,
	of func(workloads.Function) int, beyond func(key, path, format string, args ...any)) {
	lo, hasLo := number(preset.Limits["min_"+key])
	hi, hasHi := number(preset.Limits["max_"+key])
	if !hasLo || !hasHi {
		return
	}
	if m, ok := o.int(key, 0); ok && m != 0 {
		if float64(m) < lo || float64(m) > hi {
			beyond(key, o.at(key), "%d MB of %s is outside what platform %s allows; want %g to %g", m, what, preset.Name, lo, hi)
		}
		return // the system's value replaces the functions'
	}
	for j, f := range fns {
		if v := of(f); v != 0 && (float64(v) < lo || float64(v) > hi) {
			beyond(key, fmt.Sprintf("functions[%d].%s", j, key),
				"%d MB of %s is outside what platform %s (system %q) allows; want %g to %g", v, what, preset.Name, system, lo, hi)
		}
	}
}

// platformNames lists the presets a system may name as its platform (front
// doors are not platforms), sorted.
func platformNames() []string {
	var names []string
	for _, n := range models.PresetNames() {
		if p, _ := models.LookupPreset(n); p.Kind != FrontDoorKind {
			names = append(names, n)
		}
	}
	return names
}
