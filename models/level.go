package models

import "github.com/faasim/faasim/sim"

// level is a piecewise-constant count (instances alive, busy workers,
// queued requests) integrated over time: area is count × ns from From on.
// mean is the time average over a window; take closes an interval (an
// autoscaler's evaluation period) and starts the next.
type level struct {
	v, max int32 // 32 bits: a FaaS function's hot state fits one cache line
	last   sim.Time
	area   float64 // count × ns since From (or the last take)
	from   sim.Time
}

// add changes the count by delta at now (now never decreases).
func (g *level) add(now sim.Time, delta int) {
	g.advance(now)
	g.v += int32(delta)
	if g.v > g.max && now >= g.from {
		g.max = g.v
	}
}

func (g *level) advance(now sim.Time) {
	from := g.last
	if from < g.from {
		from = g.from
		if now >= g.from && g.v > g.max {
			g.max = g.v // the count standing at the From instant counts
		}
	}
	if now > from {
		g.area += float64(g.v) * float64(now-from)
	}
	g.last = now
}

// mean closes the integral at the horizon and returns the time average
// over the window (From is its warm-up).
func (g *level) mean(w Window) float64 {
	g.advance(w.Horizon)
	if w.Horizon <= w.Warmup {
		return 0
	}
	return g.area / float64(w.Horizon-w.Warmup)
}

// take closes the interval at now and returns its area (count × ns).
func (g *level) take(now sim.Time) float64 {
	g.advance(now)
	a := g.area
	g.area = 0
	return a
}
