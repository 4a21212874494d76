// Package models is what serves: FaaS platforms (instances, cold starts,
// concurrency limits, timeouts, keep-alive policies), always-on server
// fleets, their billing rules, and the catalogue of platform presets.
//
// A System receives invocations from the workload on a sim.Engine and reports
// each request's outcome as a Record to an Observer; outcomes (cold start,
// throttle, queueing, timeout) are data, never errors. At the horizon it
// returns a Summary with time-weighted instance figures and the bill.
package models
