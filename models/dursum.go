package models

import "github.com/faasim/faasim/sim"

// durSum is a sum of durations kept as whole seconds and nanoseconds, so it
// cannot overflow: an int64 of nanoseconds does at 292 instance-years (300
// instances for a year), which a fleet's billed time reaches.
type durSum struct{ s, ns int64 }

func (d *durSum) add(x sim.Time) {
	d.s += int64(x / sim.Time(1e9))
	d.ns += int64(x % sim.Time(1e9))
	if d.ns >= 1e9 || d.ns <= -1e9 {
		d.s += d.ns / 1e9
		d.ns %= 1e9
	}
}

// Seconds is the sum in seconds, computed as time.Duration.Seconds does
// (whole seconds plus the nanoseconds / 1e9), so a sum that fits an int64
// gives the same float64 as before.
func (d durSum) Seconds() float64 { return float64(d.s) + float64(d.ns)/1e9 }
