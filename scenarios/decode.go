package scenarios

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// decoder collects every problem of one file instead of stopping at the
// first, so a user fixes them all in one round.
type decoder struct {
	file     string
	ctx      context.Context // stops reading a trace
	probs    Problems
	warnings Problems
	// userFunctions: the file gives functions (not the default one).
	userFunctions bool
	// traces shares checked traces between decodes (nil: read each time).
	traces *traceCache
}

func (d *decoder) problem(path, format string, args ...any) {
	for i, a := range args { // a 52 MB value is not echoed whole (describe and quote cut shorter)
		if s, ok := a.(string); ok && len(s) > 1000 {
			args[i] = truncate(s)
		}
	}
	if len(path) > 4*maxEcho { // a path holds the keys as written
		path = truncate(path)
	}
	d.probs = append(d.probs, Problem{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// warn records a figure the scenario may mean but no real platform allows;
// it is printed, never fatal.
func (d *decoder) warn(path, format string, args ...any) {
	d.warnings = append(d.warnings, Problem{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// maxEcho is the longest user value repeated in a message, bytes.
const maxEcho = 80

// truncate shortens s to about maxEcho bytes (on a UTF-8 boundary) and
// says how long it was.
func truncate(s string) string { return truncate2(s, maxEcho) }

// truncate2 shortens s to about limit bytes.
func truncate2(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	n := limit - 20
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:n], len(s))
}

// quote is strconv.Quote of s, shortened when long.
func quote(s string) string { return strconv.Quote(truncate(s)) }

// object is one map of the scenario at a key path. Its getters report a
// value of the wrong kind or out of range and then return ok == false, so
// callers only act on good values; a missing key is ok == false silently
// (use require for keys without a default).
type object struct {
	d    *decoder
	path string
	m    map[string]any
}

func (d *decoder) object(path string, m map[string]any) *object {
	return &object{d: d, path: path, m: m}
}

// join appends key to a key path: "systems[1].keep_alive" + "idle". A
// numeric key (a percentile) is written in brackets, "percentiles[99.9]",
// since its own dot would read as a separator.
func join(path, key string) string {
	switch {
	case key != "" && (key[0] >= '0' && key[0] <= '9' || key[0] == '-' || key[0] == '.'):
		return path + "[" + key + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

func (o *object) at(key string) string { return join(o.path, key) }

func (o *object) has(key string) bool { _, ok := o.m[key]; return ok }

func (o *object) fail(key, format string, args ...any) {
	o.d.problem(o.at(key), format, args...)
}

// require reports each missing key, saying what it wants.
func (o *object) require(key, want string) bool {
	if o.has(key) {
		return true
	}
	o.fail(key, "missing; want %s", want)
	return false
}

// allow reports every key not in allowed (sorted, so the output is stable).
// other optionally explains keys that belong elsewhere.
func (o *object) allow(allowed []string, other func(key string) string) {
	var bad []string
	for k := range o.m {
		if !slices.Contains(allowed, k) {
			bad = append(bad, k)
		}
	}
	sort.Strings(bad)
	for _, k := range bad {
		if other != nil {
			if msg := other(k); msg != "" {
				o.fail(k, "%s", msg)
				continue
			}
		}
		hint := ""
		if near := nearest(k, allowed); near != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", near)
		}
		o.fail(k, "unknown key%s; allowed: %s", hint, strings.Join(sorted(allowed), ", "))
	}
}

// nearest is the allowed key within edit distance 2 of k, if exactly one
// is closest: the usual typo.
func nearest(k string, allowed []string) string {
	if len(k) > 64 { // no key is that long; and the distance costs len(k) × len(a)
		return ""
	}
	best, bestD, tie := "", 3, false
	for _, a := range allowed {
		d := editDistance(k, a)
		switch {
		case d < bestD:
			best, bestD, tie = a, d, false
		case d == bestD:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

// describe names a value as the user wrote it, for "found ..." messages.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		return quote(v)
	case bool:
		return strconv.FormatBool(v)
	case map[string]any:
		return "a map"
	case []any:
		return "a list"
	case time.Time:
		return "a date/time " + v.Format(time.RFC3339)
	}
	if f, ok := number(v); ok {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return fmt.Sprintf("%v", v)
}

// number accepts every numeric type the three parsers produce (YAML int and
// uint64, TOML int64, JSON float64).
func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case uint64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func (o *object) str(key string) (string, bool) {
	v, ok := o.m[key]
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok || s == "" {
		o.fail(key, "want a non-empty string, found %s", describe(v))
		return "", false
	}
	return s, true
}

// oneOf reads a string that must be one of allowed.
func (o *object) oneOf(key string, allowed ...string) (string, bool) {
	s, ok := o.str(key)
	if ok && !slices.Contains(allowed, s) {
		o.fail(key, "want one of %s, found %q", strings.Join(allowed, " | "), s)
		return "", false
	}
	return s, ok
}

func (o *object) bool(key string) (bool, bool) {
	v, ok := o.m[key]
	if !ok {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		o.fail(key, "want true or false, found %s", describe(v))
	}
	return b, ok
}

// num reads a number >= min, or > min when strict.
func (o *object) num(key string, min float64, strict bool) (float64, bool) {
	v, ok := o.m[key]
	if !ok {
		return 0, false
	}
	f, isNum := number(v)
	bound := fmt.Sprintf(" >= %g", min)
	switch {
	case math.IsInf(min, -1):
		bound = "" // any finite number: no bound to state
	case strict:
		bound = fmt.Sprintf(" > %g", min)
	}
	if !isNum || math.IsNaN(f) || math.IsInf(f, 0) || f < min || (strict && f == min) {
		o.fail(key, "want a number%s, found %s", bound, describe(v))
		return 0, false
	}
	return f, o.checkNumber(key, f, false)
}

// int reads an integer >= min. An integral float (JSON has no other kind
// of number) is an integer; 2.5 is not.
func (o *object) int(key string, min int) (int, bool) {
	v, ok := o.m[key]
	if !ok {
		return 0, false
	}
	f, isNum := number(v)
	if !isNum || f != math.Trunc(f) || f < float64(min) {
		o.fail(key, "want an integer >= %d, found %s", min, describe(v))
		return 0, false
	}
	if f > 1<<53 { // every bound is far below; said here before int(f) could wrap
		o.fail(key, "%g is too large; want an integer up to %g", f, maxInt)
		return 0, false
	}
	return int(f), o.checkNumber(key, f, true)
}

// uint64 reads a non-negative integer of up to 64 bits (a seed), exactly:
// no detour through float64 for the integer types.
func (o *object) uint64(key string) (uint64, bool) {
	v, ok := o.m[key]
	if !ok {
		return 0, false
	}
	switch n := v.(type) {
	case uint64:
		return n, true
	case int:
		if n >= 0 {
			return uint64(n), true
		}
	case int64:
		if n >= 0 {
			return uint64(n), true
		}
	case float64:
		if n >= 0 && n == math.Trunc(n) && n < 1<<53 {
			return uint64(n), true
		}
	}
	o.fail(key, "want an integer >= 0, found %s", describe(v))
	return 0, false
}

// duration reads a Go duration string ("250ms", "24h"), >= 0. A bare
// number is refused, except 0, because its unit would be a guess.
func (o *object) duration(key string) (time.Duration, bool) {
	v, ok := o.m[key]
	if !ok {
		return 0, false
	}
	if f, isNum := number(v); isNum && f == 0 {
		return 0, true
	}
	s, isStr := v.(string)
	if !isStr {
		o.fail(key, "want a duration like 250ms, 10m or 24h, found %s", describe(v))
		return 0, false
	}
	dur, err := time.ParseDuration(s)
	switch {
	case err != nil:
		o.fail(key, "want a duration like 250ms, 10m or 24h (units ns, us, ms, s, m, h), found %s", quote(s))
		return 0, false
	case dur < 0:
		o.fail(key, "want a duration >= 0, found %s", quote(s))
		return 0, false
	}
	return dur, o.checkDuration(key, dur)
}

// positive reads a duration > 0.
func (o *object) positive(key string) (time.Duration, bool) {
	dur, ok := o.duration(key)
	if ok && dur == 0 {
		o.fail(key, "want a duration > 0, found %v", o.m[key])
		return 0, false
	}
	return dur, ok
}

// seconds reads a duration in seconds, the unit of package dist.
func (o *object) seconds(key string, strict bool) (float64, bool) {
	read := o.duration
	if strict {
		read = o.positive
	}
	dur, ok := read(key)
	return dur.Seconds(), ok
}

// sub reads a nested map.
func (o *object) sub(key string) (*object, bool) {
	v, ok := o.m[key]
	if !ok {
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		o.fail(key, "want a map, found %s", describe(v))
		return nil, false
	}
	return o.d.object(o.at(key), m), true
}

// list reads a list of maps; the elements are at paths like "systems[2]".
func (o *object) list(key string) ([]*object, bool) {
	v, ok := o.m[key]
	if !ok {
		return nil, false
	}
	l, ok := v.([]any)
	if !ok {
		o.fail(key, "want a list, found %s", describe(v))
		return nil, false
	}
	var objs []*object
	for i, e := range l {
		path := fmt.Sprintf("%s[%d]", o.at(key), i)
		m, isMap := e.(map[string]any)
		if !isMap {
			o.d.problem(path, "want a map, found %s", describe(e))
			continue
		}
		objs = append(objs, o.d.object(path, m))
	}
	return objs, len(objs) == len(l)
}

// withDefaults returns defaults overlaid by m, key by key: a nested map in
// m replaces the default whole. Neither argument is modified.
func withDefaults(defaults, m map[string]any) map[string]any {
	out := make(map[string]any, len(defaults)+len(m))
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// normalize lowercases every map key, inside lists too, so key matching is
// case-insensitive whatever the source (viper lowercases most keys, preset
// files are not read by viper), and turns map[any]any into map[string]any.
func normalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[strings.ToLower(k)] = normalize(e)
		}
		return m
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[strings.ToLower(fmt.Sprint(k))] = normalize(e)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = normalize(e)
		}
		return l
	case []map[string]any: // TOML arrays of tables
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = normalize(e)
		}
		return l
	}
	return v
}
