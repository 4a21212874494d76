package models

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// Runtime is a function runtime's effect on its cold starts.
//
// Factor multiplies a system's cold-start draw for a function of this
// runtime: the runtime's median hello-world init over the lambda-perf
// benchmark's median of every runtime, the geometric mean of the two
// architectures' ratios (runtimes.json, re-derived from the data by
// TestRuntimeFactors). A platform's cold_start stands for a typical
// runtime; factors measured on AWS Lambda are applied to every platform.
type Runtime struct {
	Name      string  `json:"name"`      // as a scenario writes it: the Lambda identifier, or a short name for a custom runtime
	Label     string  `json:"label"`     // lambda-perf's name for it
	Factor    float64 `json:"factor"`    // cold-start multiplier
	SnapStart bool    `json:"snapstart"` // Lambda SnapStart exists for it (Java 11+, Python 3.12+, .NET 8+)
	N         int     `json:"n"`         // cold starts measured
}

//go:embed runtimes.json
var runtimesJSON []byte

// RuntimeSource says where the factors come from.
var RuntimeSource string

var runtimes = func() []Runtime {
	var d struct {
		Source   string    `json:"source"`
		Runtimes []Runtime `json:"runtimes"`
	}
	if err := json.Unmarshal(runtimesJSON, &d); err != nil {
		panic("models: runtimes.json: " + err.Error())
	}
	RuntimeSource = d.Source
	return d.Runtimes
}()

// LookupRuntime returns the runtime of that name.
func LookupRuntime(name string) (Runtime, bool) {
	i := slices.IndexFunc(runtimes, func(r Runtime) bool { return r.Name == name })
	if i < 0 {
		return Runtime{}, false
	}
	return runtimes[i], true
}

// RuntimeNames lists the runtimes, in table order.
func RuntimeNames() []string {
	names := make([]string, len(runtimes))
	for i, r := range runtimes {
		names[i] = r.Name
	}
	return names
}

// coldStartShape is how function f's cold start follows from a draw d of
// the system's cold_start: d × scale + shift. A package of P MB (zipped)
// adds P × perMB (the code to fetch and load); SnapStart restores an
// initialised snapshot instead, so neither the runtime's init nor the
// package's load is paid: the draw itself stands for the restore
// (an assumption: AWS publishes no restore times, lambda-perf measures none).
func coldStartShape(f workloads.Function, perMB sim.Time) (scale float64, shift sim.Time, err error) {
	scale = 1
	if f.Runtime != "" {
		r, ok := LookupRuntime(f.Runtime)
		if !ok {
			return 0, 0, fmt.Errorf("function %q: unknown runtime %q", f.Name, f.Runtime)
		}
		if f.SnapStart && !r.SnapStart {
			return 0, 0, fmt.Errorf("function %q: runtime %s has no SnapStart", f.Name, f.Runtime)
		}
		scale = r.Factor
	} else if f.SnapStart {
		return 0, 0, fmt.Errorf("function %q: snapstart needs a runtime that has it", f.Name)
	}
	if f.SnapStart {
		return 1, 0, nil
	}
	return scale, sim.Time(f.PackageMB * float64(perMB)), nil
}
