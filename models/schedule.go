package models

import (
	"fmt"
	"time"

	"github.com/faasim/faasim/sim"
)

// day is the period of every schedule by time of day: the scenario starts
// at 00:00 and a schedule repeats every 24 h.
const day = 24 * time.Hour

// ScheduledCount sets a count from a time of day on (At in [0, 24h),
// measured from the scenario start at 00:00, repeating every 24 h): a
// fleet's size, or the provisioned instances of a keep-alive policy.
type ScheduledCount struct {
	At        sim.Time
	Instances int
}

// ScheduleStep is the provisioned keep-alive's name for a ScheduledCount.
type ScheduleStep = ScheduledCount

// checkSchedule reports entries out of the day, out of order or negative.
func checkSchedule(sched []ScheduledCount) error {
	for i, sc := range sched {
		switch {
		case sc.At < 0 || sc.At >= day:
			return fmt.Errorf("schedule[%d] at %v: want a time of day in [00:00, 24:00)", i, sc.At)
		case i > 0 && sc.At <= sched[i-1].At:
			return fmt.Errorf("schedule[%d] at %v: want times in increasing order", i, sc.At)
		case sc.Instances < 0:
			return fmt.Errorf("schedule[%d] instances %d: want >= 0", i, sc.Instances)
		}
	}
	return nil
}

// schedIndex is the entry in force at time of day tod; before the first
// entry of a day, the last of the day before.
func schedIndex(sched []ScheduledCount, tod sim.Time) int {
	j := len(sched) - 1
	for i, sc := range sched {
		if sc.At <= tod {
			j = i
		}
	}
	return j
}

// countAt is the count in force at virtual time t.
func countAt(sched []ScheduledCount, t sim.Time) int {
	return sched[schedIndex(sched, t%day)].Instances
}

// nextStep is the first schedule boundary strictly after t, and its entry.
func nextStep(sched []ScheduledCount, t sim.Time) (sim.Time, int) {
	base := t - t%day
	for d := sim.Time(0); d < 2; d++ {
		for k, sc := range sched {
			if at := base + d*day + sc.At; at > t {
				return at, k
			}
		}
	}
	panic("models: empty schedule")
}
