// Package reports is what is measured and shown: a streaming Accumulator
// per system (counts, cold starts, latency quantiles from a DDSketch with a
// stated relative error, never a slice of every latency), the Results of a
// run, and their writers: results.json, per-system CSV summaries and the
// terminal comparison table; a sweep's sweep.json, CSV and table; the
// figures of a run (Figures) and the answer figures of a sweep
// (SweepFigures: trade-off, break-even, power tuning, keep-alive frontier,
// metrics against an axis), and one report.html for either (RunReport,
// SweepReport). Every output carries its provenance (scenario, seed,
// simulated time, version) and is written atomically.
package reports

// Version is faasim's version, printed in every report. Release builds set
// it with -ldflags "-X github.com/faasim/faasim/reports.Version=...".
var Version = "0.1.0-dev"
