package models_test

import (
	"math"
	"sort"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// The lambda-perf files in testdata/lambda-perf are the benchmark's daily
// results (github.com/maxday/lambda-perf, Apache-2.0, commit 6070b794,
// 2026-08-22), copied byte for byte; testdata/lambda-perf/README.md has
// their sums.

// median7 is the median of xs by type-7 interpolation (numpy's default).
func median7(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return quantile7(s, 0.5)
}

// TestRuntimeFactors re-derives every runtime's cold-start factor from
// the five lambda-perf files: its zip median over the median of every zip
// record, per architecture, geometric mean of the architectures; the table
// must hold them to its three decimals and count the same cold starts.
func TestRuntimeFactors(t *testing.T) {
	all := map[string][]float64{}           // arch -> inits
	by := map[string]map[string][]float64{} // label -> arch -> inits
	for _, r := range lambdaPerfRecords(t) {
		if r.P != "zip" {
			continue
		}
		all[r.A] = append(all[r.A], r.I...)
		if by[r.D] == nil {
			by[r.D] = map[string][]float64{}
		}
		by[r.D][r.A] = append(by[r.D][r.A], r.I...)
	}
	for _, name := range models.RuntimeNames() {
		rt, _ := models.LookupRuntime(name)
		m, ok := by[rt.Label]
		if !ok {
			t.Errorf("%s: no lambda-perf records labelled %q", name, rt.Label)
			continue
		}
		var logs float64
		n := 0
		for a, xs := range m {
			logs += math.Log(median7(xs) / median7(all[a]))
			n += len(xs)
		}
		f := math.Exp(logs / float64(len(m)))
		if math.Abs(f-rt.Factor) > 0.0005 || n != rt.N {
			t.Errorf("%s: factor %.4f from %d cold starts, table says %.3f from %d", name, f, n, rt.Factor, rt.N)
		}
	}
	if py, _ := models.LookupRuntime("python3.12"); !py.SnapStart {
		t.Error("python3.12 has SnapStart")
	}
}

// TestColdStartShape: under a constant cold start C, a runtime of factor f
// starts in exactly f·C, a package of P MB adds P × the per-MB figure, and
// SnapStart pays neither; an unknown runtime or SnapStart where it does
// not exist is an error.
func TestColdStartShape(t *testing.T) {
	const c = 0.2
	for _, tc := range []struct {
		f    workloads.Function
		want time.Duration
	}{
		{workloads.Function{}, 200 * time.Millisecond},
		{workloads.Function{Runtime: "java21"}, time.Duration(2.046 * c * 1e9)},
		{workloads.Function{Runtime: "java21", PackageMB: 20}, time.Duration(2.046*c*1e9) + 20*104*time.Millisecond},
		{workloads.Function{Runtime: "java21", PackageMB: 20, SnapStart: true}, 200 * time.Millisecond},
	} {
		fs := tc.f
		fs.Name, fs.MemoryMB, fs.Exec, fs.Weight = "f", 128, dist.Constant{Value: 0.1}, 1
		fns := []workloads.Function{fs}
		f := newFaaS(t, models.FaaSConfig{Functions: fns, ColdStart: dist.Constant{Value: c}, KeepAlive: models.NoKeepAlive{},
			ColdStartPerPackageMB: 104 * time.Millisecond})
		_, col := run(t, f, every(1, 1, 0, 100*time.Millisecond), time.Hour)
		if got := col.records[0].Init; got != tc.want {
			t.Errorf("%+v: cold start %v, want %v", tc.f, got, tc.want)
		}
	}
	for _, bad := range []workloads.Function{{Name: "f", Runtime: "cobol"}, {Name: "f", Runtime: "nodejs22.x", SnapStart: true}, {Name: "f", SnapStart: true}} {
		if _, err := models.NewFaaS(models.FaaSConfig{Functions: []workloads.Function{bad}, ColdStart: dist.Constant{}}); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestPackageSlopes: each FaaS preset's cold_start_per_package_mb is the
// least-squares slope through the medians Shilkov measured for JavaScript
// functions of 1 KB, 14 MB and 35 MB zipped (github.com/mikhailshilkov/
// mikhailio-hugo, data/coldstart_{aws,gcp,azure}_bydependencies.json,
// commit 08635147, 2019), to the millisecond.
func TestPackageSlopes(t *testing.T) {
	x := []float64{0.001, 14, 35}
	medians := map[string][]float64{
		"aws":   {0.20214466466666667, 1.733562972, 3.8530713},
		"gcp":   {1.3748662453333331, 4.2622037506666661, 7.2351649139999994},
		"azure": {3.9668228919999997, 9.1480290833333324, 16.305302606666665},
	}
	slope := func(y []float64) float64 {
		var mx, my float64
		for i := range x {
			mx, my = mx+x[i]/3, my+y[i]/3
		}
		var num, den float64
		for i := range x {
			num += (x[i] - mx) * (y[i] - my)
			den += (x[i] - mx) * (x[i] - mx)
		}
		return num / den
	}
	for preset, k := range map[string]string{"aws-lambda-x86": "aws", "aws-lambda-arm": "aws", "gcp-cloud-run": "gcp",
		"gcp-cloud-run-instance": "gcp", "gcp-functions-gen1": "gcp", "azure-functions-consumption": "azure", "azure-functions-flex": "azure"} {
		p, ok := models.LookupPreset(preset)
		if !ok {
			t.Fatalf("no preset %s", preset)
		}
		got, err := time.ParseDuration(p.Keys["cold_start_per_package_mb"].(string))
		want := time.Duration(math.Round(slope(medians[k])*1000)) * time.Millisecond
		if err != nil || got != want {
			t.Errorf("%s: cold_start_per_package_mb %v (%v), want %v", preset, p.Keys["cold_start_per_package_mb"], err, want)
		}
	}
}
