package scenarios

import (
	"encoding/json"
	"maps"

	"github.com/faasim/faasim/workloads"
)

// resolvedParams are a system's keys as it runs, for results.json: the
// merged map the decoder checked (the file's keys over the preset's over
// the defaults), less what the system object already says (name, type,
// platform), with two values made explicit where the scenario leaves
// them implied: a FaaS system's memory_mb is the memory its instances
// have (the functions' own when they share one and the system sets none;
// left out when they differ), and a fleet's price_per_hour is what one
// instance costs (Fargate: vcpu × price_per_vcpu_hour + memory_gb ×
// price_per_gb_hour).
//
// A JSON round trip deep-copies the map (nested defaults are shared maps)
// and gives every number one type, so the same scenario writes the same
// bytes whichever format it came in.
func resolvedParams(m map[string]any, sys System, fns []workloads.Function) map[string]any {
	out := maps.Clone(m)
	for _, k := range []string{"name", "type", "platform"} {
		delete(out, k)
	}
	switch {
	case sys.FaaS != nil:
		delete(out, "memory_mb")
		if mem := sys.FaaS.MemoryMB; mem > 0 {
			out["memory_mb"] = mem
		} else if mem, ok := sharedMemory(fns); ok {
			out["memory_mb"] = mem
		}
	case sys.Server != nil:
		out["price_per_hour"] = sys.Server.Billing.PricePerHour
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil // a value JSON cannot hold: nothing rather than a partial record
	}
	var back map[string]any
	if json.Unmarshal(b, &back) != nil {
		return nil
	}
	return back
}

// sharedMemory is the memory every function has, if they agree.
func sharedMemory(fns []workloads.Function) (int, bool) {
	if len(fns) == 0 {
		return 0, false
	}
	for _, f := range fns[1:] {
		if f.MemoryMB != fns[0].MemoryMB {
			return 0, false
		}
	}
	return fns[0].MemoryMB, fns[0].MemoryMB > 0
}
