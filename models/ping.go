package models

import (
	"fmt"

	"github.com/faasim/faasim/sim"
)

// PingKeepAlive is the keep-warm hack: every Every, Concurrency invocations
// of every function at once (the first at time 0), each running Exec. They
// occupy instances and are billed like any call; they are not user requests
// and appear in no request figure. Instances otherwise follow Idle (a plain
// policy: only its idle decisions are used).
type PingKeepAlive struct {
	Every       sim.Time
	Concurrency int
	Exec        sim.Time
	Idle        KeepAlive
}

func (k PingKeepAlive) String() string {
	return fmt.Sprintf("ping(every %v, concurrency %d)", k.Every, k.Concurrency)
}

func (k PingKeepAlive) NewPolicy(h *PolicyHost) (Policy, error) {
	if k.Every <= 0 || k.Concurrency < 1 || k.Idle == nil {
		return nil, fmt.Errorf("ping: need every > 0, concurrency >= 1 and an idle keep-alive")
	}
	idle, err := k.Idle.NewPolicy(h)
	if err != nil {
		return nil, fmt.Errorf("ping: idle %w", err)
	}
	n := len(h.Functions())
	return &pingPolicy{k: k, h: h, idle: idle, pings: make([]int64, n), units: make([]int64, n)}, nil
}

// pingPolicy sends the pings and bills them on a line of their own:
// execution at the on-demand rate (per-request billing) plus the request fee.
type pingPolicy struct {
	PolicyBase
	k     PingKeepAlive
	h     *PolicyHost
	idle  Policy
	pings []int64 // per function: pings that ended in the window
	units []int64 // per function: their execution granules
}

func (p *pingPolicy) Start(e *sim.Engine) { e.Schedule(0, p, 0) }

// Fire: send Concurrency keep-warm invocations of every function, now.
func (p *pingPolicy) Fire(e *sim.Engine, _ uint64) {
	for fn := range p.pings {
		for k := 0; k < p.k.Concurrency; k++ {
			p.h.Send(e, int32(fn), p.k.Exec)
		}
	}
	e.After(p.k.Every, p, 0)
}

func (p *pingPolicy) Idle(e *sim.Engine, in IdleInstance) sim.Time { return p.idle.Idle(e, in) }

func (p *pingPolicy) Bill(fn int32, own, _ bool, run, init sim.Time) BillDecision {
	if !own {
		return BillOnDemand
	}
	// Under the instance billing models the instance's time is metered by
	// the model whoever uses it; a ping adds its request fee.
	p.pings[fn]++
	if p.h.Billing().Model == PerRequest {
		p.units[fn] += p.h.Granules(run, init)
	}
	return BillPolicy
}

func (p *pingPolicy) Cost() ([]CostItem, []float64) {
	b := p.h.Billing()
	gran := p.h.Granule().Seconds()
	per := make([]float64, len(p.pings))
	var total float64
	for fn := range p.pings {
		gb := float64(p.h.MemoryMB(int32(fn))) / 1024
		per[fn] = float64(p.units[fn])*gran*gb*b.PricePerGBSecond + float64(p.pings[fn])*b.PricePerMillionRequests/1e6
		total += per[fn]
	}
	return []CostItem{{Name: "pings", USD: total}}, per
}

func (p *pingPolicy) Stats(st *PolicyStats) {
	for fn, n := range p.pings {
		st.Functions[fn].Pings = n
		st.Pings += n
	}
}
