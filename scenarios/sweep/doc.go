// Package sweep runs a scenario's `sweep:` grid and answers its `goal:`
// (docs/sweeps.md).
//
// A point of a sweep is the scenario file with some keys replaced (the
// axes' values), decoded by package scenarios exactly like the file, so a
// point passes the same checks and there is one way to change a scenario.
// Every point runs with the same R replication seeds (common random
// numbers); each metric is summarised by its mean and a Student-t interval
// (reports.Estimate). A goal searches one key (bisection, with a scan when
// the constraints are not monotone in it) and carries its evidence.
//
// Points and replications run in parallel; the output never depends on how
// many at once, because every result is stored at its index and the search
// only ever asks for values that do not depend on timing.
package sweep
