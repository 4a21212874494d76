package reports

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
)

// An axis whose values are sub-objects (keep-alive policies, whole
// systems) would print each value whole: a system is ~130 characters. Its
// values are named instead by a label: the scenario's own (`{label:
// ttl-10m, value: {...}}`), or one made from what tells the values apart.

// headKeys are written as their bare value first in a label ("fixed
// idle=5m", not "policy=fixed idle=5m"): they name the kind of the object.
var headKeys = []string{"policy", "type", "dist"}

// leaf is one scalar (or list) of a sub-object, by its dotted path in it.
type leaf struct {
	path, value string
}

// leaves flattens v: each object's head key first, then its other keys
// sorted; lists and scalars are leaves.
func leaves(prefix string, v any, out []leaf) []leaf {
	m, ok := v.(map[string]any)
	if !ok {
		return append(out, leaf{prefix, ParamLabel(v)})
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.SliceStable(keys, func(i, j int) bool {
		hi, hj := slices.Contains(headKeys, keys[i]), slices.Contains(headKeys, keys[j])
		if hi != hj {
			return hi
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		out = leaves(p, m[k], out)
	}
	return out
}

// AutoLabels are short labels for an axis's values, in order: a number or
// string as ParamLabel writes it; a sub-object by the leaves that differ
// between the axis's sub-objects (those the same in all say nothing), each
// `key=value` with the shortest end of its path that no other differing
// leaf shares, a head key (policy, type, dist) as its bare value, joined by
// spaces: whole systems differing in billing_model and keep_alive are
// "billing_model=per-request ping every=5m". A value that would get no
// label, or the label of another value, is written whole.
func AutoLabels(values []any) []string {
	out := make([]string, len(values))
	flat := make([][]leaf, len(values))
	seen := map[string][]string{} // path -> its values, each once
	var order []string            // paths in order of first appearance
	objects := 0
	for i, v := range values {
		out[i] = ParamLabel(v)
		if _, ok := v.(map[string]any); !ok {
			continue
		}
		objects++
		flat[i] = leaves("", v, nil)
		for _, l := range flat[i] {
			if _, ok := seen[l.path]; !ok {
				order = append(order, l.path)
			}
			if !slices.Contains(seen[l.path], l.value) {
				seen[l.path] = append(seen[l.path], l.value)
			}
		}
	}
	if objects < 2 {
		return out
	}
	// A leaf differs when its values differ, or some object lacks it.
	differs := map[string]bool{}
	for _, p := range order {
		n := 0
		for i := range flat {
			if slices.ContainsFunc(flat[i], func(l leaf) bool { return l.path == p }) {
				n++
			}
		}
		differs[p] = len(seen[p]) > 1 || n < objects
	}
	var diff []string
	for _, p := range order {
		if differs[p] {
			diff = append(diff, p)
		}
	}
	for i, fl := range flat {
		if fl == nil {
			continue
		}
		var parts []string
		for _, l := range fl {
			if !differs[l.path] {
				continue
			}
			key := shortestSuffix(l.path, diff)
			if slices.Contains(headKeys, key) {
				parts = append(parts, l.value)
			} else {
				parts = append(parts, key+"="+l.value)
			}
		}
		if len(parts) > 0 {
			out[i] = strings.Join(parts, " ")
		}
	}
	// Two values with one label (or a short label equal to another's
	// whole) would be one row name for two rows: those are written whole.
	for i := range out {
		for j := range out {
			if i != j && out[i] == out[j] {
				out[i], out[j] = ParamLabel(values[i]), ParamLabel(values[j])
			}
		}
	}
	return out
}

// shortestSuffix is the shortest end of path ("idle" of keep_alive.idle)
// that no other path of all ends with.
func shortestSuffix(path string, all []string) string {
	parts := strings.Split(path, ".")
	for k := len(parts) - 1; k > 0; k-- {
		s := strings.Join(parts[k:], ".")
		unique := true
		for _, o := range all {
			if o != path && (o == s || strings.HasSuffix(o, "."+s)) {
				unique = false
				break
			}
		}
		if unique {
			return s
		}
	}
	return path
}

// Label is how the table, benchmark names and sentences write a value of
// the axis: its label when the axis has labels, else the value itself
// (ParamLabel).
func (a *SweepAxis) Label(v any) string {
	if a.Labels != nil {
		key := canonical(v)
		for i, x := range a.Values {
			if i < len(a.Labels) && canonical(x) == key {
				return a.Labels[i]
			}
		}
	}
	return ParamLabel(v)
}

// canonical is a value's JSON: the same for a value read from a scenario
// (int64) and from sweep.json (float64), with map keys sorted.
func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ParamLabel(v)
	}
	return string(b)
}

// axis is the axis of key in s, if any.
func (s *Sweep) axis(key string) *SweepAxis {
	for i := range s.Axes {
		if s.Axes[i].Key == key {
			return &s.Axes[i]
		}
	}
	return nil
}

// paramLabel writes a value of key for the sweep's text: by its axis's
// label.
func (s *Sweep) paramLabel(key string, v any) string {
	if a := s.axis(key); a != nil {
		return a.Label(v)
	}
	return ParamLabel(v)
}
