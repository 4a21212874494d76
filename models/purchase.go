package models

import (
	"fmt"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// How a fleet's instance-hours are bought. On demand, every billed second
// costs the hourly price (ServerBilling). A commitment — a Compute Savings
// Plan or reserved instances, 1 or 3 years — is paid every clock-hour of the
// window whether it is used or not, and covers up to its instances' 3,600 s
// of usage in that clock-hour at the discounted rate; usage beyond it is
// billed on demand (AWS: "A Reserved Instance billing benefit can apply to a
// maximum of 3600 seconds (one hour) of instance usage per clock-hour ...
// Instance usage that exceeds 3600 seconds in a clock-hour is billed at the
// On-Demand Instance rate"; Savings Plans: usage "up to your commitment" at
// the plan's rates, the rest on demand). Spot is the on-demand price less a
// discount, with optional interruptions: each instance is reclaimed after an
// exponential time, given a notice (EC2: two minutes) during which it takes
// no new request, then terminated, cutting what it still serves; the fleet
// launches a replacement at the notice. An instance that EC2 interrupts in
// its first hour is not charged; later, its seconds are (EC2 user guide,
// "Billing for interrupted Spot Instances"; Purchase.FreeFirstHour).

// PurchaseOption is how instance-hours are bought.
type PurchaseOption uint8

const (
	OnDemand   PurchaseOption = iota
	Commitment                // savings plan or reserved instances
	Spot
)

// Purchase is a fleet's purchase option. The zero value is on demand.
type Purchase struct {
	Option   PurchaseOption
	Name     string  // as the scenario names it ("savings-plan-1y"), for reports
	Discount float64 // off the on-demand price, in [0, 1)
	// Committed is, for a commitment, the instances it covers in every
	// clock-hour (an hourly commitment of Committed × price × (1 − Discount)).
	Committed int
	// Interruption, for spot: zero = never interrupted.
	Interruption Interruption
	// FreeFirstHour: an instance interrupted in its first hour is not
	// charged (EC2 Linux spot; Fargate Spot bills its seconds).
	FreeFirstHour bool
}

// Interruption is spot's reclaiming of instances.
type Interruption struct {
	// After is the time from an instance's launch to its interruption
	// notice, drawn from the stream "server/interruption" (a scenario's
	// every: is an exponential of that mean); nil = never.
	After  dist.Spec
	Notice sim.Time // from the notice to termination
}

// PurchaseStats is what a purchase option did over the window.
type PurchaseStats struct {
	Option   string
	Discount float64
	// Commitment: instance-seconds committed, used of them, and used in all
	// (covered ÷ committed is the commitment's utilisation, covered ÷ used
	// its coverage).
	CommittedSeconds, CoveredSeconds, UsedSeconds float64
	// Spot: instances interrupted in the window, and requests they were
	// still serving at termination (cut: counted as timed out).
	Interruptions, InterruptedRequests int
}

func (p Purchase) check() error {
	switch {
	case p.Discount < 0 || p.Discount >= 1:
		return fmt.Errorf("purchase discount %g, want in [0, 1)", p.Discount)
	case p.Committed < 0:
		return fmt.Errorf("purchase committed instances %d, want >= 0", p.Committed)
	case p.Option != Spot && p.Interruption.After != nil:
		return fmt.Errorf("purchase: interruptions are spot's")
	case p.Interruption.Notice < 0:
		return fmt.Errorf("purchase interruption notice %v, want >= 0", p.Interruption.Notice)
	}
	return nil
}

// interrupts reports whether the fleet's instances are ever interrupted.
func (p Purchase) interrupts() bool { return p.Option == Spot && p.Interruption.After != nil }

// hourly integrates a count (instances alive) over the clock-hours of a
// window, in exact instance-nanoseconds per hour.
type hourly struct {
	w  Window
	n  int
	at sim.Time
	k0 int64   // first clock-hour of the window
	ns []int64 // per clock-hour from k0
}

func (h *hourly) init(w Window) {
	h.w, h.k0 = w, int64(w.Warmup/time.Hour)
	h.ns = make([]int64, int64((w.Horizon-1)/time.Hour)-h.k0+1)
}

// add changes the count by d at now (now never decreases).
func (h *hourly) add(now sim.Time, d int) {
	h.spread(h.at, now, func(k int64, ns int64) { h.ns[k-h.k0] += ns })
	h.at, h.n = now, h.n+d
}

// spread calls f with each clock-hour's part of count × [a, b) inside the
// window.
func (h *hourly) spread(a, b sim.Time, f func(k, ns int64)) {
	a, b = max(a, h.w.Warmup), min(b, h.w.Horizon)
	for a < b && h.n > 0 {
		k := int64(a / time.Hour)
		end := min(b, sim.Time(k+1)*time.Hour)
		f(k, int64(h.n)*int64(end-a))
		a = end
	}
}

// split is, up to t (without closing anything), the commitment of c
// instances per clock-hour and the usage it covers, and all usage, in
// instance-seconds.
func (h *hourly) split(t sim.Time, c int) (committed, covered, used float64) {
	use := make([]int64, len(h.ns))
	copy(use, h.ns)
	h.spread(h.at, t, func(k, ns int64) { use[k-h.k0] += ns })
	for i, u := range use {
		start := max(sim.Time(h.k0+int64(i))*time.Hour, h.w.Warmup)
		end := min(sim.Time(h.k0+int64(i)+1)*time.Hour, h.w.Horizon, t)
		if end <= start {
			break
		}
		capNS := int64(c) * int64(end-start)
		committed += float64(capNS) / 1e9
		covered += float64(min(u, capNS)) / 1e9
		used += float64(u) / 1e9
	}
	return committed, covered, used
}

// perInstance reports whether the fleet is billed instance by instance
// (launch to termination) rather than as a static count for the window.
func (s *Server) perInstance() bool { return s.scaled || s.cfg.Purchase.interrupts() }

// bill is the fleet's bill for the window up to t (at most the horizon),
// by its purchase option, and what the option did.
func (s *Server) bill(t sim.Time) ([]CostItem, *PurchaseStats) {
	p, price := s.cfg.Purchase, s.cfg.Billing.PricePerHour
	var billed float64 // instance-seconds billed (minimum and granularity applied)
	if s.perInstance() {
		b, _, _ := s.upTo(t)
		billed = b.Seconds()
	} else {
		billed = float64(s.cfg.Instances) * s.cfg.Billing.round(t-s.w.Warmup).Seconds()
	}
	switch p.Option {
	case Commitment:
		committed, covered, used := s.hours.split(t, p.Committed)
		// Beyond the commitment: uncovered usage, and the minimum and
		// rounding of each instance's billed time, on demand.
		over := max(0, billed-covered)
		return []CostItem{{"commitment", committed / 3600 * price * (1 - p.Discount)}, {"servers", over / 3600 * price}},
			&PurchaseStats{Option: p.Name, Discount: p.Discount, CommittedSeconds: committed, CoveredSeconds: covered, UsedSeconds: used}
	case Spot:
		return []CostItem{{"servers", billed / 3600 * price * (1 - p.Discount)}},
			&PurchaseStats{Option: p.Name, Discount: p.Discount, Interruptions: s.interruptions, InterruptedRequests: s.cut}
	}
	return []CostItem{{"servers", billed / 3600 * price}}, nil
}

// startInterruption draws when instance i, launched now, is interrupted.
func (f *fleet) startInterruption(e *sim.Engine, i int32) {
	if f.interrupt == nil {
		return
	}
	now := e.Now()
	d := f.interrupt.Rand()
	if d >= (f.win.Horizon - now).Seconds() {
		return // after the horizon (compared in seconds: a far draw overflows a Duration)
	}
	if at := now + dist.Seconds(d); at < f.win.Horizon {
		e.Schedule(at, (*fleetInterrupt)(f), uint64(i)|uint64(f.insts.items[i].gen)<<32)
	}
}

type fleetInterrupt fleet

// Fire: instance arg is interrupted (unless it has ended since). A booting
// one ends at once; a serving one drains for the notice, then ends. Either
// way a replacement is launched now, unless the instance was already
// draining for a scale-in.
func (h *fleetInterrupt) Fire(e *sim.Engine, arg uint64) {
	f := (*fleet)(h)
	i := int32(arg)
	in := &f.insts.items[i]
	if in.gen != uint32(arg>>32) || in.state == fiGone || in.interrupted {
		return
	}
	now := e.Now()
	in.interrupted = true
	if now >= f.win.Warmup {
		f.interruptions++
	}
	replace := in.state != fiDraining
	switch in.state {
	case fiBooting:
		f.terminate(now, i)
	case fiReady:
		in.state = fiDraining
		f.count--
		f.srv.slots -= int(f.srv.wpi)
		if f.links[i].tag == listAvail {
			f.avail.remove(f.links, i)
		}
		if in.busy == 0 {
			f.idle.add(f.clip(in.idleFrom, now))
		}
		f.event(now, i, FleetDrain)
		fallthrough
	case fiDraining:
		e.Schedule(now+f.c.Purchase.Interruption.Notice, (*fleetReclaim)(f), uint64(i)|uint64(in.gen)<<32)
	}
	if replace {
		f.launch(e, false)
		f.srv.drainQueue(e)
	}
}

type fleetReclaim fleet

// Fire: the notice of instance arg is over: the requests it still serves
// are cut, and it ends.
func (h *fleetReclaim) Fire(e *sim.Engine, arg uint64) {
	f := (*fleet)(h)
	i := int32(arg)
	in := &f.insts.items[i]
	if in.gen != uint32(arg>>32) || in.state == fiGone {
		return
	}
	now := e.Now()
	s := f.srv
	for r := range s.reqs.items {
		rq := &s.reqs.items[r]
		if rq.inst != i {
			continue
		}
		rq.out = TimedOut
		s.busy--
		s.load.add(now, -1)
		s.inService.add(now, -1)
		in.busy--
		if rq.arrival >= f.win.Warmup {
			f.cut++
		}
		s.end(now, int32(r))
	}
	f.terminate(now, i)
}

// billOf is the billed time of instance in up to end: none if it was
// interrupted in its first hour where that is free (EC2).
func (f *fleet) billOf(in *fleetInst, end sim.Time) sim.Time {
	if in.interrupted && f.c.Purchase.FreeFirstHour && end-in.launch < time.Hour {
		return 0
	}
	return f.bill(in.launch, end)
}
