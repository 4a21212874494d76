package scenarios

import (
	"fmt"
	"time"

	"github.com/faasim/faasim/models"
)

// scheduleKeys are the keys of one schedule entry, for a fleet's schedule
// and a provisioned keep-alive's alike.
var scheduleKeys = []string{"at", "instances"}

// schedule reads [{at: "08:00", instances: 6}, ...]: counts from a time of
// day on, in increasing order of time; with max >= 0 (an autoscaler's
// max), no count above it.
func (owner *object) schedule(key string, max int) ([]models.ScheduledCount, bool) {
	list, ok := owner.list(key)
	if l, isList := owner.m[key].([]any); isList && len(l) == 0 {
		owner.fail(key, "want at least one entry like {at: \"08:00\", instances: 6}")
		return nil, false
	}
	var out []models.ScheduledCount
	for i, o := range list {
		o.allow(scheduleKeys, nil)
		sc := models.ScheduledCount{}
		good := o.require("at", `a time of day, "HH:MM" or "HH:MM:SS" (quoted), from "00:00" to "23:59:59"`)
		good = o.require("instances", "the count from then on, an integer >= 0") && good
		if good {
			var okAt, okN bool
			sc.At, okAt = o.timeOfDay("at")
			sc.Instances, okN = o.int("instances", 0)
			good = okAt && okN
		}
		if good && i > 0 && len(out) == i && sc.At <= out[i-1].At {
			o.fail("at", "%v is not after the previous entry's %v; want times of day in increasing order", o.m["at"], list[i-1].m["at"])
			good = false
		}
		if good && max >= 0 && sc.Instances > max {
			o.fail("instances", "%d is above autoscale max %d; want at most max", sc.Instances, max)
			good = false
		}
		ok = ok && good
		out = append(out, sc)
	}
	if !ok {
		return nil, false
	}
	return out, true
}

// timeOfDay reads "HH:MM" or "HH:MM:SS" as the time since 00:00.
func (o *object) timeOfDay(key string) (time.Duration, bool) {
	v := o.m[key]
	s, isStr := v.(string)
	var h, m, sec int
	var extra string
	if isStr {
		n, _ := fmt.Sscanf(s+"|", "%d:%d:%d%s", &h, &m, &sec, &extra)
		if n != 4 || extra != "|" {
			sec = 0
			n, _ = fmt.Sscanf(s+"|", "%d:%d%s", &h, &m, &extra)
			isStr = n == 3 && extra == "|"
		}
	}
	if !isStr || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59 {
		o.fail(key, `want a time of day "HH:MM" or "HH:MM:SS" (quoted) from "00:00" to "23:59:59", found %s`, describe(v))
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, true
}
