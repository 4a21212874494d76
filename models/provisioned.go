package models

import (
	"fmt"
	"strings"

	"github.com/faasim/faasim/sim"
)

// ProvisionedKeepAlive keeps Instances instances of every function always
// warm (or the counts of Schedule by time of day), as Lambda provisioned
// concurrency, Cloud Run minimum instances or Azure always-ready instances.
// Requests beyond them spill over to on-demand instances, which follow
// OnDemand (a plain policy: only its idle decisions are used). Instances
// present at time 0 are ready at once (provisioned before the run); later
// increases take a cold start that no request waits for unless it arrives
// during it.
type ProvisionedKeepAlive struct {
	Instances int
	Schedule  []ScheduleStep // sorted by At; empty: Instances all day
	OnDemand  KeepAlive
}

func (k ProvisionedKeepAlive) String() string {
	if len(k.Schedule) == 0 {
		return fmt.Sprintf("provisioned(%d)", k.Instances)
	}
	var parts []string
	for _, s := range k.Schedule {
		parts = append(parts, fmt.Sprintf("%v:%d", s.At, s.Instances))
	}
	return "provisioned(" + strings.Join(parts, ", ") + ")"
}

func (k ProvisionedKeepAlive) NewPolicy(h *PolicyHost) (Policy, error) {
	if k.OnDemand == nil || k.Instances < 0 {
		return nil, fmt.Errorf("provisioned: need instances >= 0 and an on-demand keep-alive")
	}
	if err := checkSchedule(k.Schedule); err != nil {
		return nil, fmt.Errorf("provisioned: %w", err)
	}
	od, err := k.OnDemand.NewPolicy(h)
	if err != nil {
		return nil, fmt.Errorf("provisioned: on-demand %w", err)
	}
	n := len(h.Functions())
	return &provisionedPolicy{k: k, h: h, onDemand: od, fns: make([]provisionedFn, n)}, nil
}

// provisionedPolicy bills the configured capacity by periods: from each
// change of the count (a schedule step) to the next, count × the period
// clipped to the window, rounded up to the provisioned granularity
// (Lambda: 5 minutes). Executions on provisioned instances are metered at
// the provisioned duration rate (per-request billing) and pay the
// on-demand request fee.
type provisionedPolicy struct {
	k        ProvisionedKeepAlive
	h        *PolicyHost
	onDemand Policy
	fns      []provisionedFn
}

type provisionedFn struct {
	want    int      // configured count now
	have    int      // provisioned instances alive (starting or ready)
	units   int64    // capacity billed: instance-granules configured
	runUnit int64    // execution granules on provisioned instances
	since   sim.Time // start of the current configured period
}

func (p *provisionedPolicy) countAt(t sim.Time) int {
	if len(p.k.Schedule) == 0 {
		return p.k.Instances
	}
	return countAt(p.k.Schedule, t)
}

func (p *provisionedPolicy) Start(e *sim.Engine) {
	for fn := range p.fns {
		pf := &p.fns[fn]
		pf.want = p.countAt(0)
		for k := 0; k < pf.want; k++ {
			p.h.StartAhead(e, int32(fn), true, true) // provisioned before the run: ready now
			pf.have++
		}
	}
	if len(p.k.Schedule) > 0 {
		t, _ := nextStep(p.k.Schedule, 0)
		e.Schedule(t, p, 0)
	}
}

// Fire: a schedule boundary; every function moves to the new count.
func (p *provisionedPolicy) Fire(e *sim.Engine, _ uint64) {
	now := e.Now()
	want := p.countAt(now)
	for fn := range p.fns {
		pf := &p.fns[fn]
		p.closePeriod(pf, now)
		pf.want = want
		for pf.have < want {
			p.h.StartAhead(e, int32(fn), true, false) // a cold start, ahead of demand
			pf.have++
		}
		if pf.have > want {
			// Released instances follow the on-demand keep-alive, idle ones first.
			pf.have -= p.h.Unreserve(e, int32(fn), pf.have-want)
		}
	}
	t, _ := nextStep(p.k.Schedule, now)
	e.Schedule(t, p, 0)
}

// closePeriod bills the configured capacity from the start of the current
// period to now, clipped to the window and rounded up.
func (p *provisionedPolicy) closePeriod(pf *provisionedFn, now sim.Time) {
	w := p.h.Window()
	from, to := max(pf.since, w.Warmup), min(now, w.Horizon)
	pf.since = now
	if to <= from || pf.want == 0 {
		return
	}
	g := p.h.Billing().Provisioned.granule()
	pf.units += int64(pf.want) * int64((to-from+g-1)/g)
}

func (p *provisionedPolicy) Idle(e *sim.Engine, in IdleInstance) sim.Time {
	if in.Reserved {
		return Forever
	}
	return p.onDemand.Idle(e, in)
}

func (p *provisionedPolicy) Bill(fn int32, _, reserved bool, run, _ sim.Time) BillDecision {
	if !reserved || p.h.Billing().Model != PerRequest {
		// Under the instance billing models the instance's time is
		// metered by the model, provisioned or not.
		return BillOnDemand
	}
	p.fns[fn].runUnit += p.h.Granules(run, 0)
	return BillFeeOnly
}

// Close bills the last period, up to the horizon.
func (p *provisionedPolicy) Close(horizon sim.Time) {
	for fn := range p.fns {
		p.closePeriod(&p.fns[fn], horizon)
	}
}

// Cost: the configured capacity, and execution on provisioned instances at
// the provisioned duration rate.
func (p *provisionedPolicy) Cost() ([]CostItem, []float64) {
	return p.costOf(func(pf *provisionedFn) int64 { return pf.units })
}

// CostAt is the cost incurred up to now: the current period's capacity
// billed as far as now (rounded up as the period will be), without closing
// it. At the horizon, after Close, it is Cost.
func (p *provisionedPolicy) CostAt(now sim.Time) ([]CostItem, []float64) {
	w := p.h.Window()
	g := p.h.Billing().Provisioned.granule()
	return p.costOf(func(pf *provisionedFn) int64 {
		from, to := max(pf.since, w.Warmup), min(now, w.Horizon)
		if to <= from || pf.want == 0 {
			return pf.units
		}
		return pf.units + int64(pf.want)*int64((to-from+g-1)/g)
	})
}

// costOf prices the capacity units each function's units gives.
func (p *provisionedPolicy) costOf(units func(*provisionedFn) int64) ([]CostItem, []float64) {
	b := p.h.Billing()
	gran := p.h.Granule().Seconds()
	pg := b.Provisioned.granule().Seconds()
	keep := 1 - b.SavingsPlanDiscount // a Compute Savings Plan covers both lines
	per := make([]float64, len(p.fns))
	var capacity, run float64
	for fn := range p.fns {
		pf := &p.fns[fn]
		gb := float64(p.h.MemoryMB(int32(fn))) / 1024
		c := float64(units(pf)) * pg * gb * b.Provisioned.PricePerGBSecond * keep
		r := float64(pf.runUnit) * gran * gb * b.Provisioned.DurationPricePerGBSecond * keep
		per[fn] = c + r
		capacity += c
		run += r
	}
	return []CostItem{{Name: "provisioned", USD: capacity}, {Name: "provisioned_compute", USD: run}}, per
}

func (p *provisionedPolicy) Stats(st *PolicyStats) {
	g := p.h.Billing().Provisioned.granule()
	for fn := range p.fns {
		st.ProvisionedSeconds += float64(p.fns[fn].units) * g.Seconds()
	}
}
