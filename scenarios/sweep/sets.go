package sweep

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faasim/faasim/scenarios"
)

// A --set on `faasim sweep` is KEY=VALUE with VALUE in YAML. A list
// (`1,10,100`, or `[1, 10, 100]`) or a range (`{from: 1, to: 100, steps: 5,
// scale: log}`) makes KEY an axis: added after the file's axes, or
// replacing the file's axis of that key in its place. Any other value
// replaces KEY in the scenario, like `faasim run --set`; if KEY was an
// axis, the axis goes (the sweep is pinned there).

// set is one parsed --set.
type set struct {
	key   string
	value any
	axis  bool // value is a list or a range: an axis
}

func parseSet(s string) (set, error) {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return set{}, fmt.Errorf("--set %q: want KEY=VALUE, like workload.rate=50 or 'workload.rate=1,10,100'", s)
	}
	if _, err := scenarios.ParsePath(k); err != nil {
		return set{}, fmt.Errorf("--set %s: %v", s, err)
	}
	val, err := parseYAML(v)
	if err == nil && !hasTopComma(v) || err == nil && isQuoted(v) {
		_, isList := val.([]any)
		return set{key: k, value: val, axis: isList || scenarios.IsRange(val)}, nil
	}
	parts := splitTop(v)
	if len(parts) < 2 {
		return set{}, fmt.Errorf("--set %s: the value is not YAML: %v", s, err)
	}
	list := make([]any, len(parts))
	for i, p := range parts {
		x, err := parseYAML(p)
		if err != nil || x == nil {
			return set{}, fmt.Errorf("--set %s: value %d of the list, %q, is not YAML: %v", s, i+1, p, err)
		}
		list[i] = x
	}
	return set{key: k, value: list, axis: true}, nil
}

func parseYAML(s string) (any, error) {
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return nil, err
	}
	return v, nil
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

// applySets lays the --set values over raw and returns the keys of the axes
// they added, in command-line order, and the keys of the axes they made or
// replaced (for messages, which then name the --set).
func applySets(raw *scenarios.Raw, sets []string) (added []string, fromSet map[string]bool, err error) {
	fromSet = map[string]bool{}
	inFile := map[string]bool{}
	for _, k := range raw.KeyOrder("sweep", "axes") {
		inFile[strings.ToLower(k)] = true
	}
	for _, s := range sets {
		st, err := parseSet(s)
		if err != nil {
			return nil, nil, scenarios.Problems{{File: "--set", Msg: err.Error()}}
		}
		lower := strings.ToLower(st.key)
		isSection := strings.HasPrefix(lower, "sweep.") || strings.HasPrefix(lower, "goal.") || lower == "sweep" || lower == "goal"
		axes := axesMap(raw, false)
		_, isAxis := axes[lower]
		switch {
		case st.axis && !isSection:
			axes = axesMap(raw, true)
			axes[lower] = st.value
			fromSet[lower] = true
			if !inFile[lower] && !contains(added, st.key) {
				added = append(added, st.key)
			}
		default:
			if isAxis && !isSection {
				delete(axes, lower)
				dropFromZip(raw, lower)
			}
			if err := raw.Set(st.key, st.value); err != nil {
				return nil, nil, scenarios.Problems{{File: "--set " + s, Msg: err.Error()}}
			}
		}
	}
	return added, fromSet, nil
}

func contains(l []string, s string) bool {
	for _, e := range l {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}

// axesMap is raw's sweep.axes map (made if asked and missing).
func axesMap(raw *scenarios.Raw, make bool) map[string]any {
	sw, ok := raw.Map["sweep"].(map[string]any)
	if !ok {
		if !make {
			return nil
		}
		sw = map[string]any{}
		raw.Map["sweep"] = sw
	}
	ax, ok := sw["axes"].(map[string]any)
	if !ok && make {
		ax = map[string]any{}
		sw["axes"] = ax
	}
	return ax
}

// dropFromZip removes an axis pinned by --set from the zip groups; a
// group left with one axis is no longer a group.
func dropFromZip(raw *scenarios.Raw, key string) {
	sw, _ := raw.Map["sweep"].(map[string]any)
	groups, ok := sw["zip"].([]any)
	if !ok {
		return
	}
	var kept []any
	for _, g := range groups {
		gl, ok := g.([]any)
		if !ok {
			kept = append(kept, g)
			continue
		}
		var rest []any
		for _, k := range gl {
			if s, ok := k.(string); !ok || !strings.EqualFold(s, key) {
				rest = append(rest, k)
			}
		}
		if len(rest) >= 2 {
			kept = append(kept, rest)
		}
	}
	if len(kept) == 0 {
		delete(sw, "zip")
	} else {
		sw["zip"] = kept
	}
}
