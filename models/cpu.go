package models

import (
	"fmt"

	"github.com/faasim/faasim/workloads"
)

// CPUScaling is how a platform's CPU follows memory (AWS Lambda: one full
// vCPU at 1,769 MB, in proportion below and above, up to 6 vCPUs at
// 10,240 MB). A function's Exec is measured at its ExecMemoryMB; run at
// another memory, its CPU-bound share s scales with the CPU it gets:
//
//	exec' = exec × ((1 − s) + s × cpu(ref) / cpu(mem)),  cpu(m) = min(m / FullVCPUMemoryMB, Ceiling)
//
// The ceiling is what the function can use: a single-threaded function
// gains nothing above one vCPU (Ceiling 1), whatever the platform gives.
type CPUScaling struct {
	FullVCPUMemoryMB int     // memory that buys one vCPU; 0 = CPU does not follow memory
	Ceiling          float64 // vCPUs a function can use at most; 0 = no ceiling
}

// Validate reports a setting that cannot be used.
func (c CPUScaling) Validate() error {
	if c.FullVCPUMemoryMB < 0 || c.Ceiling < 0 {
		return fmt.Errorf("cpu scaling: full vCPU memory and ceiling must be >= 0")
	}
	return nil
}

// VCPU is the CPU a function of memMB can use, in vCPUs.
func (c CPUScaling) VCPU(memMB int) float64 {
	v := float64(memMB) / float64(c.FullVCPUMemoryMB)
	if c.Ceiling > 0 {
		v = min(v, c.Ceiling)
	}
	return v
}

// ExecFactor is the factor on fn's execution times when it runs with memMB.
func (c CPUScaling) ExecFactor(fn workloads.Function, memMB int) float64 {
	ref := fn.ExecMemoryMB
	if ref == 0 {
		ref = fn.MemoryMB
	}
	if c.FullVCPUMemoryMB == 0 || fn.CPUBound == 0 || ref == memMB || ref <= 0 || memMB <= 0 {
		return 1
	}
	s := fn.CPUBound
	return (1 - s) + s*c.VCPU(ref)/c.VCPU(memMB)
}
