package models

import "github.com/faasim/faasim/sim"

// Min instances and their baseline bill. Azure Flex bills every always-ready
// instance its baseline for the whole window, on top of its executions.
// Cloud Run bills min instances "at a different 'idle' rate when these
// instances are not processing requests": at any moment, the min instances
// idle are max(0, MinInstances − busy), busy being the function's instances
// with a request (waiting for their start or in service, as the
// instance-active meter bills them), so serving time is billed once, at the
// active rate.

// startMinIdle opens fn's count of idle min instances at time 0.
func (f *FaaS) startMinIdle(fn int32) {
	g := &f.fx[fn].minIdle
	g.from = f.w.Warmup
	g.add(0, f.cfg.MinInstances)
}

// busyChanged moves fn's count of instances with a request by delta at now,
// and with it the idle min instances.
func (f *FaaS) busyChanged(fn int32, now sim.Time, delta int) {
	fs := &f.fx[fn]
	was := max(0, f.cfg.MinInstances-fs.busyN)
	fs.busyN += delta
	if is := max(0, f.cfg.MinInstances-fs.busyN); is != was {
		fs.minIdle.add(now, is-was)
	}
}

// baselineSeconds are, per function, the min instances' instance-seconds
// billed at the baseline rates from the warm-up to now: all of them the whole
// time, or only the idle ones (Billing.BaselineIdleOnly). nil without min
// instances.
func (f *FaaS) baselineSeconds(now sim.Time) []float64 {
	if f.cfg.MinInstances == 0 || now <= f.w.Warmup {
		return nil
	}
	out := make([]float64, len(f.fns))
	for fn := range f.fns {
		if !f.cfg.Billing.BaselineIdleOnly {
			out[fn] = float64(f.cfg.MinInstances) * (now - f.w.Warmup).Seconds()
			continue
		}
		g := &f.fx[fn].minIdle
		g.advance(now)
		out[fn] = g.area / 1e9
	}
	return out
}
