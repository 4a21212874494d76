package reports

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
)

// NonFinite lists the figures of r that are NaN or infinite, by their
// results.json path (systems[0].cost_usd.total). JSON cannot hold them, and
// a figure that overflowed is wrong whatever the format: a run that has one
// must fail before any file is written. Bounds at validation keep every
// figure finite; this is the check that they did.
func NonFinite(r *Results) []string {
	var bad []string
	walkFinite(reflect.ValueOf(r), "", &bad)
	return bad
}

func walkFinite(v reflect.Value, path string, bad *[]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkFinite(v.Elem(), path, bad)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case name == "-":
				continue
			case name == "" && f.Anonymous:
				walkFinite(v.Field(i), path, bad) // inlined
				continue
			case name == "":
				name = f.Name
			}
			walkFinite(v.Field(i), join(path, name), bad)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkFinite(v.Index(i), fmt.Sprintf("%s[%d]", path, i), bad)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(a, b int) bool { return fmt.Sprint(keys[a]) < fmt.Sprint(keys[b]) })
		for _, k := range keys {
			walkFinite(v.MapIndex(k), join(path, fmt.Sprint(k)), bad)
		}
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			*bad = append(*bad, fmt.Sprintf("%s = %v", path, f))
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
