package scenarios

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Override sets one key of a scenario before it is checked, by the key path
// error messages print: "workload.rate", "systems[lambda].memory_mb" (a
// list element by its name), "systems[0].keep_alive" (by index),
// "functions[api].exec.percentiles[99.9]" (a numeric map key). The scenario
// is then checked exactly as if the file said so: `--set` on the command
// line, and each point of a sweep, are overrides.
type Override struct {
	Path string
	// Value is what a YAML file would hold there: a scalar (int, float64,
	// string, bool), a map[string]any or a []any. nil removes the key, so
	// its default applies again.
	Value any
	// Origin names where the override came from in messages, for example
	// "--set workload.rate=50"; "" reads as "override PATH".
	Origin string
}

// ParseSet reads a --set argument, KEY=VALUE. VALUE is parsed as YAML: a
// number, a string, true/false, null, or a flow map or list such as
// "{policy: fixed, idle: 5m}" or "[1, 2]".
func ParseSet(s string) (Override, error) {
	key, val, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return Override{}, fmt.Errorf("--set %q: want KEY=VALUE, e.g. workload.rate=50 or 'systems[lambda].memory_mb=1024'", s)
	}
	steps, err := parsePath(key)
	if err != nil {
		return Override{}, fmt.Errorf("--set %q: %v", truncate(s), err)
	}
	if strings.TrimSpace(val) == "" {
		return Override{}, fmt.Errorf("--set %q: no value after '='; want KEY=VALUE (null removes the key)", s)
	}
	// The value is checked as a scenario file is (input.go): its depth
	// with the path's, and keys that differ only in case.
	if len(s) > MaxScenarioBytes {
		return Override{}, fmt.Errorf("--set %q: larger than %d MB", truncate(s), MaxScenarioBytes>>20)
	}
	if len(steps) > MaxDepth {
		return Override{}, fmt.Errorf("--set %q: a key path of %d parts; want at most %d", truncate(s), len(steps), MaxDepth)
	}
	if probs := checkValue(val, max(MaxDepth-len(steps), 1)); len(probs) > 0 {
		at := probs[0].Path
		if at != "" {
			at = " at " + at
		}
		return Override{}, fmt.Errorf("--set %q: the value%s: %s", truncate(s), at, probs[0].Msg)
	}
	var v any
	if err := yaml.Unmarshal([]byte(val), &v); err != nil {
		return Override{}, fmt.Errorf("--set %q: value is not YAML: %s", s, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return Override{Path: key, Value: normalize(v), Origin: "--set " + s}, nil
}

func (ov Override) origin() string {
	if ov.Origin != "" {
		return ov.Origin
	}
	return "override " + ov.Path
}

// step is one segment of a key path: a map key, or a selector in brackets
// (a list index or element name, or a map key such as a percentile).
type step struct {
	key      string
	selector bool
}

// parsePath splits "systems[lambda].keep_alive.idle" into its steps.
// Inside brackets anything but ']' is part of the selector, so a system
// named "api.v2" is "systems[api.v2]".
func parsePath(p string) ([]step, error) {
	var steps []step
	for i := 0; i < len(p); {
		switch c := p[i]; {
		case c == '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("key path %q: '[' at %d is not closed", p, i)
			}
			sel := strings.TrimSpace(p[i+1 : i+end])
			if sel == "" {
				return nil, fmt.Errorf("key path %q: empty []", p)
			}
			if len(steps) == 0 {
				return nil, fmt.Errorf("key path %q: starts with [%s]; want a key first, like systems[%s]", p, sel, sel)
			}
			steps = append(steps, step{key: sel, selector: true})
			i += end + 1
			if i < len(p) && p[i] != '.' && p[i] != '[' {
				return nil, fmt.Errorf("key path %q: want '.' or '[' after ]", p)
			}
		case c == '.':
			if i == 0 || i+1 == len(p) || p[i+1] == '.' || p[i+1] == '[' {
				return nil, fmt.Errorf("key path %q: empty key", p)
			}
			i++
		case c == ']':
			return nil, fmt.Errorf("key path %q: ']' at %d without '['", p, i)
		default:
			end := strings.IndexAny(p[i:], ".[]")
			if end < 0 {
				end = len(p) - i
			}
			steps = append(steps, step{key: strings.ToLower(strings.TrimSpace(p[i : i+end]))})
			i += end
		}
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("key path %q: empty", p)
	}
	return steps, nil
}

// applied is an override resolved to the path decode reports problems at
// (list elements by index).
type applied struct {
	path string
	ov   Override
}

// applyOverrides returns a deep copy of raw with every override set, in
// order (a later one wins), the paths they resolved to, and a problem for
// each path that leads nowhere (no such list element, a key inside a
// number).
func applyOverrides(file string, raw map[string]any, ovs []Override) (map[string]any, []applied, Problems) {
	out := deepCopy(raw).(map[string]any)
	var done []applied
	var probs Problems
	for _, ov := range ovs {
		path, err := set(out, ov)
		if err != nil {
			probs = append(probs, Problem{File: file, Path: path, Msg: fmt.Sprintf("%v (from %s)", err, ov.origin())})
			continue
		}
		done = append(done, applied{path: path, ov: ov})
	}
	return out, done, probs
}

// set puts ov.Value at ov.Path in root. It returns the resolved path, or
// the path reached and why it could go no further.
func set(root map[string]any, ov Override) (string, error) {
	steps, err := parsePath(ov.Path)
	if err != nil {
		return "", err
	}
	var (
		cur  any = root
		path string
	)
	for i, st := range steps {
		last := i == len(steps)-1
		switch c := cur.(type) {
		case map[string]any:
			key := st.key
			if st.selector {
				key = strings.ToLower(key)
			}
			path = join(path, key)
			if last {
				if ov.Value == nil {
					delete(c, key)
				} else {
					c[key] = deepCopy(ov.Value)
				}
				return path, nil
			}
			next, ok := c[key]
			if !ok {
				// A key the file leaves out: start from its default (the
				// one default function), else from an empty map.
				if d, isDefault := scenarioDefaults[key]; isDefault && i == 0 {
					next = deepCopy(d)
				} else {
					next = map[string]any{}
				}
				c[key] = next
			}
			cur = next
		case []any:
			if !st.selector {
				return path, fmt.Errorf("is a list; want an element in brackets, %s[0] or %s[NAME], then .%s", path, path, st.key)
			}
			k, err := element(c, st.key, path)
			if err != nil {
				return path, err
			}
			path = fmt.Sprintf("%s[%d]", path, k)
			if last {
				if ov.Value == nil {
					return path, errors.New("cannot remove a list element; set the whole list instead")
				}
				c[k] = deepCopy(ov.Value)
				return path, nil
			}
			cur = c[k]
		default:
			return path, fmt.Errorf("is %s, not a map or a list; cannot set %s inside it", describe(cur), rest(steps[i:]))
		}
	}
	return path, nil // not reached: the last step returns
}

// element finds a list element by index or, for a list of maps, by its
// name key.
func element(l []any, sel, path string) (int, error) {
	if n, err := strconv.Atoi(sel); err == nil {
		if n < 0 || n >= len(l) {
			return 0, fmt.Errorf("no element %d; the list has %d (indices 0 to %d)", n, len(l), len(l)-1)
		}
		return n, nil
	}
	var names []string
	for k, e := range l {
		if m, ok := e.(map[string]any); ok {
			if name, ok := m["name"].(string); ok {
				if name == sel {
					return k, nil
				}
				names = append(names, name)
			}
		}
	}
	if len(names) == 0 {
		return 0, fmt.Errorf("no element named %q (the elements have no names; use an index 0 to %d)", sel, len(l)-1)
	}
	return 0, fmt.Errorf("no element named %q; names: %s", sel, strings.Join(names, ", "))
}

// rest prints steps back as a key path, for messages.
func rest(steps []step) string {
	var b strings.Builder
	for i, st := range steps {
		switch {
		case st.selector:
			b.WriteString("[" + st.key + "]")
		case i > 0:
			b.WriteString("." + st.key)
		default:
			b.WriteString(st.key)
		}
	}
	return b.String()
}

// deepCopy copies the maps and lists of a decoded document, so a Document
// can be decoded with different overrides any number of times.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// attribute appends "(from --set ...)" to every problem at, inside or
// above a path an override set, so a user sees which value was wrong.
func attribute(probs Problems, done []applied) Problems {
	for i := range probs {
		p := &probs[i]
		if p.Path == "" || strings.HasPrefix(p.Path, "line ") {
			continue
		}
		for k := len(done) - 1; k >= 0; k-- { // the last override of a key wins
			if within(p.Path, done[k].path) || within(done[k].path, p.Path) {
				p.Msg += " (from " + done[k].ov.origin() + ")"
				break
			}
		}
	}
	return probs
}

// within reports whether key path p is q or inside it.
func within(p, q string) bool {
	return p == q || strings.HasPrefix(p, q) && (p[len(q)] == '.' || p[len(q)] == '[')
}
