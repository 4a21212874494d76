// Package workloads is what arrives: arrival processes (constant, Poisson,
// and more) combined with a table of functions into a Source that yields
// invocations lazily, in arrival order, never holding the whole workload in
// memory.
//
// Common random numbers: every draw comes from a named stream of the
// scenario seed (arrivals, function choice, one execution-time stream per
// function), so a fresh Source built from the same scenario and seed yields
// exactly the same invocations for every system compared.
package workloads
