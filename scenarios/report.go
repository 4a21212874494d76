package scenarios

import "time"

// Report is the scenario's `report:` section: how the files written with
// --out are drawn, never what is simulated.
type Report struct {
	// Interval is the width of one time-series window (one row of
	// <system>.timeseries.csv, one point of the timeline plot).
	Interval time.Duration
}

var reportKeys = []string{"interval"}

// MaxWindows bounds the rows of a time series: beyond it a timeline is
// unreadable and the file needlessly large.
const MaxWindows = 1_000_000

func (d *decoder) report(top *object, measured time.Duration) Report {
	raw := map[string]any{}
	if top.has("report") {
		o, ok := top.sub("report")
		if !ok {
			return Report{}
		}
		raw = o.m
	}
	o := d.object(top.at("report"), withDefaults(reportDefaults, raw))
	o.allow(reportKeys, nil)
	r := Report{}
	if iv, ok := o.positive("interval"); ok {
		if measured > 0 && measured/iv > MaxWindows {
			o.fail("interval", "%v makes %d windows of the measured %v; want at most %d (a longer interval)", iv, measured/iv, measured, MaxWindows)
		}
		r.Interval = iv
	}
	return r
}
