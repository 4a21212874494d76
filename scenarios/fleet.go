package scenarios

import (
	"fmt"
	"time"

	"github.com/faasim/faasim/models"
)

// Keys of a server system's scaling (docs/fleets.md): an autoscaler, a
// schedule of counts by time of day, and the boot delay both need.
var (
	autoscaleKeys = []string{"metric", "target", "min", "max", "interval", "scale_out_cooldown",
		"scale_in_cooldown", "scale_in"}
	scheduleKeys = []string{"at", "instances"}
	// autoscaleMetrics maps autoscale.metric to the model's.
	autoscaleMetrics = map[string]models.Metric{"utilization": models.MetricUtilization, "queue": models.MetricQueue}
)

// scaling decodes boot, autoscale and schedule of a server system into c
// and checks them against each other and against instances.
func (d *decoder) scaling(o *object, c *models.ServerConfig) {
	scaled := o.has("autoscale") || o.has("schedule")
	if !scaled {
		if o.has("boot") {
			o.fail("boot", "only used with autoscale or schedule (a static fleet is up from the start); remove it or add one")
		}
		return
	}
	if o.require("boot", "the time from an instance's launch until it serves, a distribution like {dist: constant, value: 90s}") {
		c.Boot, _ = o.distribution("boot")
	}
	if o.has("autoscale") {
		c.Autoscale = d.autoscale(o)
	}
	if o.has("schedule") {
		c.Schedule = d.schedule(o, c.Autoscale)
	}
	if a := c.Autoscale; a != nil && o.has("instances") && c.Instances > 0 && (c.Instances < a.Min || c.Instances > a.Max) {
		o.fail("instances", "%d is outside autoscale min %d and max %d; want a count between them (or leave instances out to start at min)",
			c.Instances, a.Min, a.Max)
	}
}

func (d *decoder) autoscale(sys *object) *models.Autoscale {
	v := sys.m["autoscale"]
	raw, isMap := v.(map[string]any)
	if !isMap {
		sys.fail("autoscale", "want a map like {target: 0.6, max: 20}, found %s", describe(v))
		return nil
	}
	o := d.object(sys.at("autoscale"), withDefaults(autoscaleDefaults, raw))
	o.allow(autoscaleKeys, nil)
	n := len(d.probs)
	a := &models.Autoscale{}
	if m, ok := o.oneOf("metric", keysOf(autoscaleMetrics)...); ok {
		a.Metric = autoscaleMetrics[m]
	}
	if o.require("target", "the metric's target: a utilization in (0, 1], or queued requests per instance > 0") {
		if t, ok := o.num("target", 0, true); ok {
			if a.Metric == models.MetricUtilization && t > 1 {
				o.fail("target", "want a utilization in (0, 1], found %g", t)
			}
			a.Target = t
		}
	}
	a.Min, _ = o.int("min", 1)
	if o.require("max", "the most instances, an integer >= min") {
		if m, ok := o.int("max", 1); ok {
			a.Max = m
			if a.Min > 0 && m < a.Min {
				o.fail("max", "%d is below min %d; want max >= min", m, a.Min)
			}
		}
	}
	a.Interval, _ = o.positive("interval")
	a.ScaleOutCooldown, _ = o.duration("scale_out_cooldown")
	a.ScaleInCooldown, _ = o.duration("scale_in_cooldown")
	a.ScaleIn, _ = o.bool("scale_in")
	if len(d.probs) > n {
		return nil
	}
	return a
}

// schedule reads [{at: "08:00", instances: 6}, ...]: times of day in
// increasing order.
func (d *decoder) schedule(sys *object, a *models.Autoscale) []models.ScheduledCount {
	list, ok := sys.list("schedule")
	if l, isList := sys.m["schedule"].([]any); isList && len(l) == 0 {
		sys.fail("schedule", "want at least one entry like {at: \"08:00\", instances: 6}")
		return nil
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
		if good && a != nil && sc.Instances > a.Max {
			o.fail("instances", "%d is above autoscale max %d; want at most max", sc.Instances, a.Max)
			good = false
		}
		ok = ok && good
		out = append(out, sc)
	}
	if !ok {
		return nil
	}
	return out
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
