package sweep

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasim/faasim/scenarios"
)

// A --set on `faasim sweep` is KEY=VALUE with VALUE in YAML, as on `faasim
// run`. A list (`1,10,100`, or `[1, 10, 100]`) or a range (`{from: 1, to:
// 100, steps: 5, scale: log}`) makes KEY an axis: added after the file's
// axes, or replacing the file's axis of that key in its place. Any other
// value is an override of the scenario, as on `faasim run` (through
// scenarios.ParseSet); if KEY was an axis, the axis goes: the sweep is
// pinned there.

// sets is what the --set arguments make of a sweep.
type sets struct {
	base    []scenarios.Override // every point's overrides
	section []scenarios.Override // of the sweep: and goal: sections
	added   []string             // axes added, in order
	fromSet map[string]bool      // axes (lowercased) made or replaced by --set
}

// axisValue reports whether a --set VALUE is a list or range (an axis),
// and returns it.
func axisValue(v string) (any, bool) {
	var val any
	err := yaml.Unmarshal([]byte(v), &val)
	if err == nil && (!hasTopComma(v) || isQuoted(v)) {
		_, isList := val.([]any)
		if isList || scenarios.IsRange(val) {
			return val, true
		}
		return nil, false
	}
	parts := splitTop(v)
	if len(parts) < 2 {
		return nil, false
	}
	list := make([]any, len(parts))
	for i, p := range parts {
		var x any
		if yaml.Unmarshal([]byte(p), &x) != nil || x == nil {
			return nil, false // ParseSet names the error
		}
		list[i] = x
	}
	return list, true
}

func isQuoted(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0]
}

// splitTop splits at the commas outside brackets, braces and quotes.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func hasTopComma(s string) bool { return len(splitTop(s)) > 1 }

// parseSets reads the --set arguments against the document's axes. The
// axes they make or pin become one override of the whole sweep.axes map
// (a key path cannot name an axis key, which has brackets of its own).
func parseSets(doc *scenarios.Document, args []string) (*sets, error) {
	st := &sets{fromSet: map[string]bool{}}
	raw := doc.Raw()
	sw, _ := raw["sweep"].(map[string]any)
	axes, _ := sw["axes"].(map[string]any)
	if axes == nil {
		axes = map[string]any{}
	}
	zip := zipGroups(raw)
	axesChanged, zipChanged := false, false
	var probs scenarios.Problems
	for _, a := range args {
		key, val, _ := strings.Cut(a, "=")
		key = strings.TrimSpace(key)
		lower := strings.ToLower(key)
		section := lower == "sweep" || lower == "goal" || strings.HasPrefix(lower, "sweep.") || strings.HasPrefix(lower, "goal.")
		if v, isAxis := axisValue(val); isAxis && !section && key != "" {
			if _, err := scenarios.ParseSet(key + "=0"); err != nil { // the key path alone
				probs = append(probs, scenarios.Problem{File: "command line", Msg: strings.Replace(err.Error(), key+"=0", a, 1)})
				continue
			}
			if _, inFile := axes[lower]; !inFile && !slices.Contains(st.added, key) {
				st.added = append(st.added, key)
			}
			axes[lower] = v
			st.fromSet[lower] = true
			axesChanged = true
			continue
		}
		ov, err := scenarios.ParseSet(a)
		if err != nil {
			probs = append(probs, scenarios.Problem{File: "command line", Msg: err.Error()})
			continue
		}
		if section {
			st.section = append(st.section, ov)
			continue
		}
		if _, isAxis := axes[lower]; isAxis { // pinned: the axis goes, from zip too
			delete(axes, lower)
			delete(st.fromSet, lower)
			st.added = slices.DeleteFunc(st.added, func(k string) bool { return strings.EqualFold(k, key) })
			axesChanged = true
			if zip != nil {
				zip, zipChanged = dropFromZip(zip, lower), true
			}
		}
		st.base = append(st.base, ov)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	if axesChanged {
		st.section = append(st.section, scenarios.Override{Path: "sweep.axes", Value: axes, Origin: "--set"})
	}
	if zipChanged {
		st.section = append(st.section, scenarios.Override{Path: "sweep.zip", Value: zipValue(zip), Origin: "--set"})
	}
	return st, nil
}

// zipGroups are the file's zip groups, nil when it has none (or a zip
// that is not a list of lists, which the section check reports).
func zipGroups(raw map[string]any) [][]any {
	sw, _ := raw["sweep"].(map[string]any)
	l, ok := sw["zip"].([]any)
	if !ok {
		return nil
	}
	var out [][]any
	for _, g := range l {
		gl, ok := g.([]any)
		if !ok {
			return nil
		}
		out = append(out, gl)
	}
	return out
}

// dropFromZip removes an axis from the zip groups; a group left with one
// axis is no longer a group.
func dropFromZip(groups [][]any, key string) [][]any {
	var kept [][]any
	for _, g := range groups {
		g = slices.DeleteFunc(slices.Clone(g), func(k any) bool {
			s, ok := k.(string)
			return ok && strings.EqualFold(s, key)
		})
		if len(g) >= 2 {
			kept = append(kept, g)
		}
	}
	return kept
}

// zipValue is groups as an override's value: nil (no zip) when empty.
func zipValue(groups [][]any) any {
	if len(groups) == 0 {
		return nil
	}
	out := make([]any, len(groups))
	for i, g := range groups {
		out[i] = g
	}
	return out
}

// origin names a point's value in messages.
func origin(where string, v any) string {
	return fmt.Sprintf("%s value %s", where, label(v))
}
