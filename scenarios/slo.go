package scenarios

import (
	"fmt"

	"github.com/faasim/faasim/reports"
)

// slo decodes the scenario's slo: the constraints every system is judged
// by, each one comparison over a system's metrics ("latency_ms.p99 <
// 300"), checked when the file is loaded: an unknown metric or a malformed
// expression is a problem at slo[i].
func (d *decoder) slo(top *object) []*reports.Expr {
	v, ok := top.m["slo"]
	if !ok {
		return nil
	}
	var list []any
	switch v := v.(type) {
	case string: // one constraint
		list = []any{v}
	case []any:
		list = v
	default:
		top.fail("slo", `want a list of constraints like ["latency_ms.p99 < 300", "rejected_ratio + timed_out_ratio <= 0.001"], found %s`, describe(v))
		return nil
	}
	if len(list) == 0 {
		top.fail("slo", "want at least one constraint, or leave slo out")
	}
	var out []*reports.Expr
	for i, c := range list {
		path := fmt.Sprintf("%s[%d]", top.at("slo"), i)
		src, isStr := c.(string)
		if !isStr || src == "" {
			d.problem(path, `want a constraint like "latency_ms.p99 < 300" (quoted in YAML), found %s`, describe(c))
			continue
		}
		e, err := reports.ParseConstraint(src, nil)
		if err != nil {
			d.problem(path, "%q: %v", src, err)
			continue
		}
		out = append(out, e)
	}
	return out
}
