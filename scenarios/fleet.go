package scenarios

import (
	"github.com/faasim/faasim/models"
)

// Keys of a server system's scaling (docs/fleets.md): an autoscaler, a
// schedule of counts by time of day, and the boot delay both need.
var (
	autoscaleKeys = []string{"metric", "target", "min", "max", "interval", "scale_out_cooldown",
		"scale_in_cooldown", "scale_in"}
	// autoscaleMetrics maps autoscale.metric to the model's.
	autoscaleMetrics = map[string]models.Metric{"utilization": models.MetricUtilization, "queue": models.MetricQueue}
)

// scaling decodes boot, autoscale and schedule of a server system into c
// and checks them against each other and against instances.
func (d *decoder) scaling(o *object, c *models.ServerConfig) {
	scaled := o.has("autoscale") || o.has("schedule")
	if !scaled {
		switch {
		case interrupted(o) && o.has("boot"):
			c.Boot, _ = o.distribution("boot") // replacements of interrupted spot instances boot
		case o.has("boot"):
			o.fail("boot", "only used with autoscale, schedule or spot interruptions (a static fleet is up from the start); remove it or add one")
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
		max := -1
		if c.Autoscale != nil {
			max = c.Autoscale.Max
		}
		c.Schedule, _ = o.schedule("schedule", max)
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
