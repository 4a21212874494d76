package scenarios

import (
	"fmt"
	"strconv"
	"strings"
)

// This file sets one key of a Raw scenario by its key path, the form error
// messages print ("workload.rate", "systems[1].keep_alive.idle",
// "systems[lambda].memory_mb", "functions[0].exec.percentiles[99.9]").
// It is what a sweep point is made of: the file with some keys replaced,
// decoded like the file.
//
// ADAPTER: issue 9 brings `--set KEY=VALUE` with the same semantics; when
// it lands, sweeps use its override code and this file goes.

// Step is one step of a key path: a map key, or a list element by index or
// by name.
type Step struct {
	Key   string // a map key, or the text inside brackets
	Index int    // for a bracket: the index, or -1 for a name
	Brack bool   // written in brackets
}

// ParsePath splits a key path into steps. Keys are matched without regard
// to case, as in the file.
func ParsePath(path string) ([]Step, error) {
	if path == "" {
		return nil, fmt.Errorf("empty key path")
	}
	var steps []Step
	i := 0
	for i < len(path) {
		switch c := path[i]; {
		case c == '[':
			j := strings.IndexByte(path[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("%q: unclosed [", path)
			}
			sel := strings.TrimSpace(path[i+1 : i+j])
			if sel == "" {
				return nil, fmt.Errorf("%q: empty []; want an index like [0] or a name like [lambda]", path)
			}
			st := Step{Key: sel, Index: -1, Brack: true}
			if n, err := strconv.Atoi(sel); err == nil && n >= 0 {
				st.Index = n
			}
			steps = append(steps, st)
			i += j + 1
			if i < len(path) && path[i] == '.' {
				i++
				if i == len(path) {
					return nil, fmt.Errorf("%q: ends with a dot", path)
				}
			} else if i < len(path) && path[i] != '[' {
				return nil, fmt.Errorf("%q: want . or [ after ], found %q", path, path[i])
			}
		default:
			j := strings.IndexAny(path[i:], ".[")
			if j < 0 {
				j = len(path) - i
			}
			key := path[i : i+j]
			if key == "" {
				return nil, fmt.Errorf("%q: empty key between dots", path)
			}
			if strings.ContainsAny(key, " ]=") {
				return nil, fmt.Errorf("%q: %q is not a key", path, key)
			}
			steps = append(steps, Step{Key: strings.ToLower(key), Index: -1})
			i += j
			if i < len(path) && path[i] == '.' {
				i++
				if i == len(path) {
					return nil, fmt.Errorf("%q: ends with a dot", path)
				}
			}
		}
	}
	return steps, nil
}

// Set replaces (or adds) the value at path. Maps on the way are created
// when missing; list elements must exist. The value is normalized like the
// file (map keys lowercased). What the value means is checked by Decode.
func (r *Raw) Set(path string, value any) error {
	steps, err := ParsePath(path)
	if err != nil {
		return err
	}
	var cur any = r.Map
	at := ""
	for k, st := range steps {
		last := k == len(steps)-1
		here := at
		if st.Brack {
			at += "[" + st.Key + "]"
		} else {
			at = join(at, st.Key)
		}
		switch c := cur.(type) {
		case map[string]any:
			key := st.Key
			if st.Brack {
				key = strings.ToLower(st.Key)
			}
			if last {
				c[key] = normalize(value)
				return nil
			}
			next, ok := c[key]
			if !ok || next == nil {
				if steps[k+1].Brack && steps[k+1].Index >= 0 || steps[k+1].Brack && !mapLike(key) {
					return fmt.Errorf("%s: not in the file; write the list there to set its elements", at)
				}
				next = map[string]any{}
				c[key] = next
			}
			cur = next
		case []any:
			if !st.Brack {
				return fmt.Errorf("%s: %s is a list; want an index like %s[0] or a name like %s[NAME]", at, here, here, here)
			}
			i, err := element(c, st, here)
			if err != nil {
				return err
			}
			if last {
				c[i] = normalize(value)
				return nil
			}
			cur = c[i]
		default:
			return fmt.Errorf("%s: %s is %s, not a map or a list", at, here, describe(cur))
		}
	}
	return nil
}

// mapLike: keys whose bracketed children are map keys (percentiles[99.9]).
func mapLike(key string) bool { return key == "percentiles" }

// element finds list element st of l (at path here): by index, or the map
// whose name is st.Key (exactly, else ignoring case).
func element(l []any, st Step, here string) (int, error) {
	if st.Index >= 0 {
		if st.Index >= len(l) {
			return 0, fmt.Errorf("%s[%d]: %s has %d element(s); want an index from 0 to %d", here, st.Index, here, len(l), len(l)-1)
		}
		return st.Index, nil
	}
	var names []string
	found := -1
	for i, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		n, _ := m["name"].(string)
		names = append(names, n)
		if n == st.Key {
			return i, nil
		}
		if found < 0 && strings.EqualFold(n, st.Key) {
			found = i
		}
	}
	if found >= 0 {
		return found, nil
	}
	return 0, fmt.Errorf("%s[%s]: no element of %s named %q (names: %s)", here, st.Key, here, st.Key, strings.Join(names, ", "))
}

// Resolve writes path with list elements by index, as the decoder's
// messages name them: "systems[lambda].memory_mb" is "systems[0].memory_mb"
// when lambda is the first system.
func (r *Raw) Resolve(path string) (string, error) {
	steps, err := ParsePath(path)
	if err != nil {
		return "", err
	}
	var cur any = r.Map
	at := ""
	for _, st := range steps {
		switch c := cur.(type) {
		case map[string]any:
			if st.Brack {
				at += "[" + st.Key + "]"
			} else {
				at = join(at, st.Key)
			}
			cur = c[strings.ToLower(st.Key)]
		case []any:
			i, err := element(c, st, at)
			if err != nil {
				return "", err
			}
			at = fmt.Sprintf("%s[%d]", at, i)
			cur = c[i]
		default:
			if st.Brack {
				at += "[" + st.Key + "]"
			} else {
				at = join(at, st.Key)
			}
			cur = nil
		}
	}
	return at, nil
}
