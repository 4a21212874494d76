package reports

import (
	"fmt"
	"math"
	"reflect"
)

// NonFinite lists the figures of r that are NaN or infinite, by their
// results.json path (systems[0].cost_usd.total). JSON cannot hold them, and
// a figure that overflowed is wrong whatever the format: a run that has one
// must fail before any file is written. Bounds at validation keep every
// figure finite; this is the check that they did. It walks what the metric
// table walks (walkNumbers), for each system and each of its functions.
func NonFinite(r *Results) []string {
	var bad []string
	check := func(prefix string, v reflect.Value) {
		walkNumbers("", v, func(p string, x float64) {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				bad = append(bad, fmt.Sprintf("%s.%s = %v", prefix, p, x))
			}
		})
	}
	for _, x := range []float64{r.SimulatedSeconds, r.WarmupSeconds} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			bad = append(bad, fmt.Sprintf("simulated_seconds or warmup_seconds = %v", x))
		}
	}
	for i := range r.Systems {
		s := &r.Systems[i]
		check(fmt.Sprintf("systems[%d]", i), reflect.ValueOf(s).Elem())
		for j := range s.Functions {
			check(fmt.Sprintf("systems[%d].functions[%d]", i, j), reflect.ValueOf(&s.Functions[j]).Elem())
		}
	}
	return bad
}
