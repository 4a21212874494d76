package models

import (
	"fmt"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
)

// Forever is the TTL of an instance that is never reclaimed.
const Forever sim.Time = -1

// KeepAlive is a keep-alive policy as a scenario states it: a value. A FaaS
// system builds from it, for each run, the Policy that applies it.
type KeepAlive interface {
	// NewPolicy returns a fresh policy for one run of the system behind h,
	// or an error for settings that cannot be used. The window is known
	// from Start on.
	NewPolicy(h *PolicyHost) (Policy, error)
	String() string
}

// Policy is a keep-alive policy at work in one run of a FaaS system: a
// strategy the system calls at a few points of an instance's life. Nothing
// is called per request except Bill (for the policy's own requests and its
// reserved instances) and, for a policy that is also a RequestObserver,
// Arrived and Ended. Embed PolicyBase for the hooks a policy does not need.
type Policy interface {
	// Start is called once at time 0, after the min instances have
	// started: the policy starts instances of its own and schedules its
	// own events (it is a sim.Handler for them).
	Start(e *sim.Engine)
	// Idle is how long an instance that has just gone idle stays warm:
	// Forever, 0 (it ends now) or a positive TTL. It is not called for min
	// instances, which are never reclaimed.
	Idle(e *sim.Engine, in IdleInstance) sim.Time
	// Bill decides who bills a request that ended in the window and was
	// the policy's own (own) or ran on an instance it reserved (reserved):
	// run is its execution time, init its wait for the instance it started.
	Bill(fn int32, own, reserved bool, run, init sim.Time) BillDecision
	// Close is called once at the horizon, before Cost and Stats.
	Close(horizon sim.Time)
	// Cost is what the policy adds to the bill: its lines and each
	// function's share of them (nil, nil: nothing).
	Cost() (items []CostItem, perFunction []float64)
	// Stats adds the policy's own figures to st, whose figures common to
	// every policy (idle time, pre-warm hits, requests on reserved
	// instances) are filled, with one entry of st.Functions per function.
	Stats(st *PolicyStats)
}

// RequestObserver is a Policy that learns from user requests: Arrived when
// one of function fn arrives, Ended when it ends (completed, timed out or
// rejected); a policy's own requests are not reported.
type RequestObserver interface {
	Arrived(fn int32, now sim.Time)
	Ended(fn int32, now sim.Time)
}

// IdleInstance is what a Policy is told about an instance that went idle.
type IdleInstance struct {
	Fn        int32
	Reserved  bool // held by the policy (PolicyHost.StartAhead with reserved)
	Prewarmed bool // started ahead of demand and not used since
}

// BillDecision says which meter bills a request (Policy.Bill).
type BillDecision uint8

const (
	BillOnDemand BillDecision = iota // the on-demand meter: duration and request fee
	BillFeeOnly                      // the policy metered the duration; the on-demand meter takes the request fee
	BillPolicy                       // the policy billed it all, on its own lines
)

// PolicyBase is the hooks a policy may leave out: no events of its own, the
// on-demand meter bills every request, nothing added to the bill or stats.
type PolicyBase struct{}

func (PolicyBase) Start(*sim.Engine) {}
func (PolicyBase) Bill(int32, bool, bool, sim.Time, sim.Time) BillDecision {
	return BillOnDemand
}
func (PolicyBase) Close(sim.Time)                {}
func (PolicyBase) Cost() ([]CostItem, []float64) { return nil, nil }
func (PolicyBase) Stats(*PolicyStats)            {}

// PolicyStats is what a keep-alive policy cost and bought, over the window.
type PolicyStats struct {
	Policy string
	// IdleInstanceSeconds: ready instances with no request in service (the
	// memory paid for, or reserved, while waiting); IdleGBSeconds weights it
	// by the function's memory.
	IdleInstanceSeconds float64
	IdleGBSeconds       float64
	Prewarms            int64   // instances started ahead of demand (hybrid)
	PrewarmHits         int64   // requests a pre-warmed instance served warm
	ProvisionedServed   int64   // requests served by provisioned instances
	ProvisionedSeconds  float64 // provisioned instance-seconds billed (after rounding)
	Pings               int64   // keep-warm invocations that ran
	Functions           []FunctionPolicyStats
}

// FunctionPolicyStats is one function's share of PolicyStats.
type FunctionPolicyStats struct {
	IdleInstanceSeconds, IdleGBSeconds float64
	Prewarms, PrewarmHits              int64
	ProvisionedServed, Pings           int64
	// Hybrid only: idle times learned, and whether the histogram was
	// representative at the end (else the fallback keep-alive applied).
	IdleTimes      int
	Representative bool
}

// ttlPolicy gives every idle instance the same TTL: fixed, none, forever.
type ttlPolicy struct {
	PolicyBase
	ttl sim.Time
}

func (p *ttlPolicy) Idle(*sim.Engine, IdleInstance) sim.Time { return p.ttl }

// FixedKeepAlive ends an instance once it has been idle for Idle.
type FixedKeepAlive struct{ Idle sim.Time }

func (k FixedKeepAlive) NewPolicy(*PolicyHost) (Policy, error) { return &ttlPolicy{ttl: k.Idle}, nil }
func (k FixedKeepAlive) String() string                        { return fmt.Sprintf("fixed(%v)", k.Idle) }

// NoKeepAlive ends an instance as soon as it has no request in flight.
type NoKeepAlive struct{}

func (NoKeepAlive) NewPolicy(*PolicyHost) (Policy, error) { return &ttlPolicy{ttl: 0}, nil }
func (NoKeepAlive) String() string                        { return "none" }

// ForeverKeepAlive never reclaims an instance.
type ForeverKeepAlive struct{}

func (ForeverKeepAlive) NewPolicy(*PolicyHost) (Policy, error) { return &ttlPolicy{ttl: Forever}, nil }
func (ForeverKeepAlive) String() string                        { return "forever" }

// RandomKeepAlive ends an idle instance after a lifetime drawn from Idle
// (stream "keepalive/<function>"): platforms reclaim idle instances on
// their own schedule, not after a fixed TTL.
type RandomKeepAlive struct{ Idle dist.Spec }

func (k RandomKeepAlive) String() string { return "random(" + k.Idle.String() + ")" }

func (k RandomKeepAlive) NewPolicy(h *PolicyHost) (Policy, error) {
	if k.Idle == nil {
		return nil, fmt.Errorf("random: need an idle-lifetime distribution")
	}
	p := &randomPolicy{}
	for _, fn := range h.Functions() {
		p.draw = append(p.draw, k.Idle.New(h.Seed().Source("keepalive/"+fn.Name)))
	}
	return p, nil
}

type randomPolicy struct {
	PolicyBase
	draw []dist.Rander // per function
}

func (p *randomPolicy) Idle(_ *sim.Engine, in IdleInstance) sim.Time {
	return dist.Seconds(p.draw[in.Fn].Rand())
}
