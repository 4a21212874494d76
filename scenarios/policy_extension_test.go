package scenarios

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
)

// A keep-alive policy defined here, outside models, and registered the way
// a new policy is (one entry in keepAlivePolicies): a fixed idle TTL plus a
// flat fee per user request on a bill line of its own. It learns from
// requests (RequestObserver) and adds cost lines, and nothing else in the
// model knows it exists.
type meteredKeepAlive struct {
	idle time.Duration
	fee  float64 // USD per user request arriving in the window
}

func (k meteredKeepAlive) String() string { return "metered" }

func (k meteredKeepAlive) NewPolicy(h *models.PolicyHost) (models.Policy, error) {
	return &meteredPolicy{k: k, h: h, n: make([]int64, len(h.Functions()))}, nil
}

type meteredPolicy struct {
	models.PolicyBase
	k meteredKeepAlive
	h *models.PolicyHost
	n []int64 // per function: user requests arrived in the window
}

func (p *meteredPolicy) Idle(*sim.Engine, models.IdleInstance) sim.Time { return p.k.idle }

func (p *meteredPolicy) Arrived(fn int32, now sim.Time) {
	if now >= p.h.Window().Warmup {
		p.n[fn]++
	}
}

func (p *meteredPolicy) Ended(int32, sim.Time) {}

func (p *meteredPolicy) Cost() ([]models.CostItem, []float64) {
	per := make([]float64, len(p.n))
	var total float64
	for fn, n := range p.n {
		per[fn] = float64(n) * p.k.fee
		total += per[fn]
	}
	return []models.CostItem{{Name: "policy_fee", USD: total}}, per
}

// TestPolicyExtension runs the policy above end to end, from a scenario
// file to results: it keeps instances exactly as fixed does (same cold
// starts, same compute bill as a fixed system beside it) and its fee is on
// the bill, per function too.
func TestPolicyExtension(t *testing.T) {
	keepAlivePolicies["metered"] = keepAlivePolicy{keys: []string{"idle", "fee"}, decode: func(o *object) (models.KeepAlive, bool) {
		idle, ok1 := o.positive("idle")
		fee, ok2 := o.num("fee", 0, false)
		return meteredKeepAlive{idle: idle, fee: fee}, ok1 && ok2
	}}
	t.Cleanup(func() { delete(keepAlivePolicies, "metered") })
	const yaml = `
name: extension
duration: 6h
warmup: 10m
workload: {type: poisson, rate: 0.02, zipf: 1}
functions:
  - {name: a, memory_mb: 512, exec: {dist: constant, value: 200ms}}
  - {name: b, memory_mb: 256, exec: {dist: constant, value: 50ms}}
systems:
  - {name: metered, platform: aws-lambda-x86, keep_alive: {policy: metered, idle: 90s, fee: 0.001}}
  - {name: fixed, platform: aws-lambda-x86, keep_alive: {policy: fixed, idle: 90s}}
`
	s, err := Load(write(t, "ext.yaml", yaml))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(context.Background(), RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, f := res.Systems[0], res.Systems[1]
	if m.ColdStarts != f.ColdStarts || m.ColdStarts < 50 || m.ColdStarts == m.Requests {
		t.Errorf("cold starts %d (metered) and %d (fixed) of %d requests; want equal, many, and not every request",
			m.ColdStarts, f.ColdStarts, m.Requests)
	}
	if m.CostUSD.Breakdown["compute"] != f.CostUSD.Breakdown["compute"] {
		t.Errorf("compute %g, want fixed's %g", m.CostUSD.Breakdown["compute"], f.CostUSD.Breakdown["compute"])
	}
	fee := m.CostUSD.Breakdown["policy_fee"]
	if want := 0.001 * float64(m.Requests); math.Abs(fee-want) > 1e-9*want {
		t.Errorf("policy_fee %g, want 0.001 × %d requests = %g", fee, m.Requests, want)
	}
	var perFn float64
	for _, fr := range m.Functions {
		perFn += fr.CostUSD
	}
	if math.Abs(perFn-m.CostUSD.Total) > 1e-6*m.CostUSD.Total {
		t.Errorf("functions' costs add up to %g, want the total %g", perFn, m.CostUSD.Total)
	}
}
