package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file checks the form of a scenario's `sweep:` and `goal:` sections
// (docs/sweeps.md) with the decoder's helpers, so their mistakes read like
// every other key's. What the axes' key paths and values mean is checked
// by package sweep, which decodes every point as a scenario of its own.

// SweepSpec is the `sweep:` section.
type SweepSpec struct {
	Axes         []AxisSpec // in the file's order: the first varies slowest
	Zip          [][]string // keys of axes that advance together
	ZipPath      string     // "sweep.zip", for messages
	Replications int
	Confidence   float64
	Metrics      []string // the terminal table's metrics; empty: sweep chooses
}

// AxisSpec is one axis: a list of values, or a numeric range.
type AxisSpec struct {
	Key    string // the key path it sets, as written
	Where  string // where it is written, for messages: "sweep.axes[workload.rate]"
	Values []any  // a list as written (scalars or sub-objects), or nil
	// Labels are the values' own names, parallel to Values ("" where a
	// value has none): a list element {label: NAME, value: V} is V named
	// NAME; nil when no value has one.
	Labels []string
	Range  *RangeSpec
}

// maxLabel is the longest label of an axis value, bytes: a table cell.
const maxLabel = 40

// RangeSpec is {from, to} with steps (evenly spaced, log with scale: log),
// or step, or neither (every integer from..to).
type RangeSpec struct {
	From, To float64
	Steps    int     // > 0: this many values, both ends included
	Step     float64 // > 0: from, from+step, ... up to to
	Log      bool
	// Duration: the ends (and step) are durations ("1m", "2h"), held here
	// in nanoseconds; the values are written back as durations.
	Duration bool
}

// GoalSpec is the `goal:` section.
type GoalSpec struct {
	Find           string // min | max | root | best
	Vary           string // key path
	Within         AxisSpec
	Tolerance      float64 // relative, real-valued answers
	SubjectTo      []string
	Expr           string // root: where it changes sign
	Minimize       string // best: the objective (or Strategy)
	Strategy       string // best: cost | speed | balanced (Power Tuning's)
	BalancedWeight float64
	System         string // best with a strategy: whose cost and speed
	Search         string // bisect | scan
}

var (
	sweepKeys = []string{"axes", "zip", "replications", "confidence", "metrics"}
	goalKeys  = []string{"find", "vary", "within", "tolerance", "subject_to", "expr", "minimize", "strategy",
		"balanced_weight", "system", "search"}
	rangeKeys = []string{"from", "to", "steps", "step", "scale"}

	sweepDefaults = map[string]any{"replications": 1, "confidence": 0.95}
	goalDefaults  = map[string]any{"tolerance": 0.001, "balanced_weight": 0.5, "search": "bisect"}
)

// Number reads a numeric value as any of the three parsers gives it (YAML
// int and uint64, TOML int64, JSON float64).
func Number(v any) (float64, bool) { return number(v) }

// IsRange reports whether v has the shape of a range: {from: N, to: N,
// ...} with numbers, or {from: D, to: D, steps: N} with durations and
// steps or step (without them, {from: 0s, to: 1h} is a trace's window),
// and nothing but range keys. It is the form an axis written as a map must
// have, and how a --set value is told from a sub-object.
func IsRange(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for k := range m {
		if !slices.Contains(rangeKeys, k) {
			return false
		}
	}
	_, f := number(m["from"])
	_, t := number(m["to"])
	if f && t {
		return true
	}
	_, steps := m["steps"]
	_, step := m["step"]
	return (steps || step) && isDuration(m["from"]) && isDuration(m["to"])
}

// isDuration: v is a duration as a range end may give one (a Go duration
// string, or 0).
func isDuration(v any) bool {
	if f, ok := number(v); ok {
		return f == 0
	}
	s, ok := v.(string)
	if !ok {
		return false
	}
	_, err := time.ParseDuration(s)
	return err == nil
}

// FormatDuration writes a duration as a scenario would: 10m, 1h30m,
// 3m18.587s (Go's syntax without its trailing zero units).
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// Sweep checks the document's `sweep:` and `goal:` sections, with the
// overrides applied (--set may add an axis, or change a goal's key); nil
// for an absent one. Axes are listed in the file's order, then the keys
// added in the order given.
func (doc *Document) Sweep(ovs []Override, added ...string) (*SweepSpec, *GoalSpec, error) {
	raw, _, probs := applyOverrides(doc.File, doc.raw, ovs)
	if len(probs) > 0 {
		return nil, nil, probs
	}
	d := &decoder{file: doc.File}
	top := d.object("", raw)
	var sw *SweepSpec
	var g *GoalSpec
	if top.has("sweep") {
		if o, ok := top.sub("sweep"); ok {
			sw = d.sweep(d.object(o.path, withDefaults(sweepDefaults, o.m)), append(doc.KeyOrder("sweep", "axes"), added...))
		}
	}
	if top.has("goal") {
		if o, ok := top.sub("goal"); ok {
			g = d.goal(d.object(o.path, withDefaults(goalDefaults, o.m)))
		}
	}
	if len(d.probs) > 0 {
		return nil, nil, d.probs
	}
	return sw, g, nil
}

func (d *decoder) sweep(o *object, order []string) *SweepSpec {
	o.allow(sweepKeys, nil)
	s := &SweepSpec{ZipPath: o.at("zip")}
	s.Replications, _ = o.int("replications", 1)
	if c, ok := o.num("confidence", 0, true); ok && c >= 1 {
		o.fail("confidence", "want a number between 0 and 1 (0.95 for 95%%), found %g", c)
	} else {
		s.Confidence = c
	}
	if o.has("axes") {
		if ax, ok := o.sub("axes"); ok {
			for _, k := range axisOrder(ax.m, order) {
				a := AxisSpec{Key: k.written, Where: ax.path + "[" + k.written + "]"}
				if d.axisValues(&a, ax.m[k.key], false) {
					s.Axes = append(s.Axes, a)
				}
			}
		}
	}
	if o.has("zip") {
		s.Zip = d.zip(o)
	}
	if o.has("metrics") {
		s.Metrics, _ = o.strings("metrics")
	}
	return s
}

type axisKey struct{ key, written string }

// axisOrder lists the keys of axes (lowercased) in the file's order, with
// their spelling there; keys the order misses (added by --set) follow.
func axisOrder(axes map[string]any, order []string) []axisKey {
	var out []axisKey
	seen := map[string]bool{}
	for _, w := range order {
		k := strings.ToLower(w)
		if _, ok := axes[k]; ok && !seen[k] {
			seen[k] = true
			out = append(out, axisKey{k, w})
		}
	}
	var rest []string
	for k := range axes {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest) // nothing random reaches output through map order
	for _, k := range rest {
		out = append(out, axisKey{k, k})
	}
	return out
}

// axisValues reads an axis (or a goal's within) written at a.Where: a
// non-empty list, or a range. search: a goal searching between two ends,
// which takes {from, to, scale} only.
func (d *decoder) axisValues(a *AxisSpec, v any, search bool) bool {
	switch v := v.(type) {
	case []any:
		if search {
			d.problem(a.Where, "want a range {from: N, to: N} or {from: D, to: D} (durations; scale: log optional) to search, found a list")
			return false
		}
		if len(v) == 0 {
			d.problem(a.Where, "want at least one value")
			return false
		}
		values := make([]any, len(v))
		labels := make([]string, len(v))
		named := false
		for i, e := range v {
			at := fmt.Sprintf("%s[%d]", a.Where, i)
			if m, ok := e.(map[string]any); ok && m["label"] != nil {
				l, val, ok := d.labelled(d.object(at, m))
				if !ok {
					return false
				}
				if j := slices.Index(labels, l); j >= 0 {
					d.problem(at+".label", "%q already names %s[%d]; want a label per value", l, a.Where, j)
					return false
				}
				labels[i], e, named = l, val, true
			}
			if e == nil {
				d.problem(at, "want a value, found nothing")
				return false
			}
			values[i] = e
		}
		a.Values = values
		if named {
			a.Labels = labels
		}
		return true
	case map[string]any:
		r, ok := d.rangeSpec(d.object(a.Where, v), search)
		a.Range = r
		return ok
	}
	want := "a list of values like [1, 10, 100] or a range like {from: 1, to: 100, steps: 5, scale: log} (or of durations, {from: 1m, to: 2h, steps: 5})"
	if search {
		want = "a range like {from: 1, to: 256} (or of durations, {from: 1m, to: 2h})"
	}
	d.problem(a.Where, "want %s, found %s", want, describe(v))
	return false
}

// labelled reads a list element {label: NAME, value: V}: V, named NAME in
// the table and sentences.
func (d *decoder) labelled(o *object) (string, any, bool) {
	n := len(d.probs)
	o.allow([]string{"label", "value"}, func(string) string {
		return "a labelled value is {label: NAME, value: V}: put the value's keys under value"
	})
	l, ok := o.str("label")
	switch {
	case ok && len(l) > maxLabel:
		o.fail("label", "%d bytes; want a short name (at most %d), like ttl-10m", len(l), maxLabel)
	case ok && strings.ContainsFunc(l, func(r rune) bool { return r < ' ' || r == 0x7f }):
		o.fail("label", "%s has a control character; want a printable name", quote(l))
	}
	o.require("value", "the value the label names")
	if o.has("value") && o.m["value"] == nil {
		o.fail("value", "want a value, found nothing")
	}
	return l, o.m["value"], len(d.probs) == n
}

func (d *decoder) rangeSpec(o *object, search bool) (*RangeSpec, bool) {
	allowed := rangeKeys
	if search {
		allowed = []string{"from", "to", "scale"}
	}
	n := len(d.probs)
	o.allow(allowed, func(k string) string {
		if search && (k == "steps" || k == "step") {
			return "a search picks its own values; want only from, to and scale"
		}
		return ""
	})
	r := &RangeSpec{}
	okF := o.require("from", "the first value, a number or a duration like 1m")
	okT := o.require("to", "the last value, a number or a duration like 2h")
	// A string at either end makes a range of durations: both ends (and a
	// step) are then read as durations, whose messages say what they want.
	_, strF := o.m["from"].(string)
	_, strT := o.m["to"].(string)
	r.Duration = strF || strT
	end := func(key string) (float64, bool) {
		if r.Duration {
			d, ok := o.duration(key)
			return float64(d), ok
		}
		return o.rangeNumber(key)
	}
	if okF {
		r.From, okF = end("from")
	}
	if okT {
		r.To, okT = end("to")
	}
	if s, ok := o.oneOf("scale", "linear", "log"); ok {
		r.Log = s == "log"
	}
	if o.has("steps") && o.has("step") {
		o.fail("step", "give steps (how many values) or step (the distance between them), not both")
	}
	if o.has("steps") {
		r.Steps, _ = o.int("steps", 1)
	}
	if o.has("step") {
		if r.Duration {
			d, _ := o.positive("step")
			r.Step = float64(d)
		} else {
			r.Step, _ = o.num("step", 0, true)
		}
	}
	show := func(x float64) string {
		if r.Duration {
			return FormatDuration(time.Duration(x))
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	if okF && okT {
		switch {
		case r.From > r.To:
			o.fail("to", "%s is below from (%s); want from <= to", show(r.To), show(r.From))
		case search && r.From == r.To:
			o.fail("to", "equals from (%s); want a range to search", show(r.To))
		case r.Log && r.From <= 0:
			o.fail("from", "%s with scale: log; want from > 0", show(r.From))
		case r.Log && r.Step > 0:
			o.fail("step", "a step is a distance, which a log scale does not have; want steps with scale: log")
		case r.Steps == 1 && r.From != r.To:
			o.fail("steps", "1 value cannot span %s to %s; want steps >= 2", show(r.From), show(r.To))
		case !search && r.Duration && r.Steps == 0 && r.Step == 0 && r.From != r.To:
			o.fail("from", "%s to %s without steps: want steps: N (how many durations) or step: D (like 10m)", show(r.From), show(r.To))
		case !search && r.Steps == 0 && r.Step == 0 && (r.From != math.Trunc(r.From) || r.To != math.Trunc(r.To)):
			o.fail("from", "%g to %g without steps: want integers (every integer from..to) or give steps: or step:", r.From, r.To)
		case !search && r.Steps == 0 && r.Step == 0 && r.Log:
			o.fail("scale", "log without steps; want steps: N with scale: log")
		}
	}
	return r, len(d.probs) == n
}

// rangeNumber reads a numeric end of a range: any finite number (the key
// it sets bounds it when each point is decoded).
func (o *object) rangeNumber(key string) (float64, bool) {
	f, isNum := number(o.m[key])
	if !isNum || math.IsNaN(f) || math.IsInf(f, 0) {
		o.fail(key, "want a number, or a duration like 1m or 2h for a key that takes one, found %s", describe(o.m[key]))
		return 0, false
	}
	return f, o.checkNumber(key, f, false)
}

func (d *decoder) zip(o *object) [][]string {
	l, ok := o.m["zip"].([]any)
	if !ok || len(l) == 0 {
		o.fail("zip", "want a list of lists of axis keys, like [[workload.rate, systems[vms].instances]], found %s", describe(o.m["zip"]))
		return nil
	}
	var groups [][]string
	for i, g := range l {
		path := fmt.Sprintf("%s[%d]", o.at("zip"), i)
		gl, ok := g.([]any)
		if !ok || len(gl) < 2 {
			d.problem(path, "want a list of two or more axis keys that advance together, found %s", describe(g))
			continue
		}
		var keys []string
		for j, k := range gl {
			s, ok := k.(string)
			if !ok || s == "" {
				d.problem(fmt.Sprintf("%s[%d]", path, j), "want an axis key, found %s", describe(k))
				continue
			}
			keys = append(keys, s)
		}
		groups = append(groups, keys)
	}
	return groups
}

func (d *decoder) goal(o *object) *GoalSpec {
	o.allow(goalKeys, nil)
	g := &GoalSpec{}
	g.Find, _ = o.kind("find", []string{"min", "max", "root", "best"}, nil)
	if o.require("vary", "the key path of what the goal changes, like systems[vms].instances") {
		g.Vary, _ = o.str("vary")
	}
	if o.require("within", "the values to try: a range {from: N, to: N} (a list too for find: best)") {
		g.Within = AxisSpec{Key: g.Vary, Where: o.at("within")}
		d.axisValues(&g.Within, o.m["within"], g.Find != "best")
	}
	if t, ok := o.num("tolerance", 0, true); ok && t >= 1 {
		o.fail("tolerance", "want a relative precision between 0 and 1 (0.001 for 0.1%%), found %g", t)
	} else {
		g.Tolerance = t
	}
	g.Search, _ = o.oneOf("search", "bisect", "scan")
	if o.has("subject_to") {
		g.SubjectTo, _ = o.strings("subject_to")
	}
	if o.has("expr") {
		g.Expr, _ = o.str("expr")
	}
	if o.has("minimize") {
		g.Minimize, _ = o.str("minimize")
	}
	if o.has("strategy") {
		g.Strategy, _ = o.oneOf("strategy", "cost", "speed", "balanced")
	}
	if w, ok := o.num("balanced_weight", 0, false); ok && w > 1 {
		o.fail("balanced_weight", "want a weight from 0 (speed only) to 1 (cost only), found %g", w)
	} else {
		g.BalancedWeight = w
	}
	if o.has("system") {
		g.System, _ = o.str("system")
	}
	only := func(key, finds string) {
		if o.has(key) && !strings.Contains(finds, g.Find) {
			o.fail(key, "belongs to find: %s; this goal is find: %s", finds, g.Find)
		}
	}
	switch g.Find {
	case "min", "max":
		o.require("subject_to", "constraints like [vms.latency_ms.p99 < 200] that the answer must meet")
	case "root":
		o.require("expr", "an expression whose sign change is the answer, like lambda.cost_usd.total - vms.cost_usd.total")
	case "best":
		switch {
		case g.Minimize != "" && g.Strategy != "":
			o.fail("strategy", "give minimize (any expression) or strategy (cost | speed | balanced), not both")
		case !o.has("minimize") && !o.has("strategy"):
			o.fail("strategy", "missing; want cost | speed | balanced (Power Tuning's), or minimize: EXPR")
		}
	}
	only("expr", "root")
	only("minimize", "best")
	only("strategy", "best")
	only("system", "best")
	if g.Find == "root" && o.has("subject_to") {
		o.fail("subject_to", "a root is where expr changes sign; constraints belong to find: min, max or best")
	}
	return g
}
