// Package sim is faasim's discrete-event engine: virtual time, an event queue
// ordered by (time, scheduling sequence), and seeded named random streams.
//
// Virtual time is a time.Duration: integer nanoseconds since the scenario
// start. The package imports no other faasim package, does no I/O and never
// reads the wall clock, so a run is a pure function of its inputs and seed.
package sim
