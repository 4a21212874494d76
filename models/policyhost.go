package models

import (
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// PolicyHost is what a FaaS system offers its keep-alive Policy: what the
// system is, and the few actions a policy takes on it. It is valid for the
// system's one run.
type PolicyHost struct{ f *FaaS }

// Functions is the system's function table (function indices index it).
func (h *PolicyHost) Functions() []workloads.Function { return h.f.cfg.Functions }

// Seed is the run's master seed, for the policy's own named streams.
func (h *PolicyHost) Seed() sim.Seed { return h.f.cfg.Seed }

// Window is the measured window (from Start on).
func (h *PolicyHost) Window() Window { return h.f.w }

// Billing is the system's billing rules (read only).
func (h *PolicyHost) Billing() *FaaSBilling { return &h.f.cfg.Billing }

// MemoryMB is the memory function fn runs with on this system.
func (h *PolicyHost) MemoryMB(fn int32) int { return h.f.mem[fn] }

// Granule is the billing granularity of compute time.
func (h *PolicyHost) Granule() sim.Time { return h.f.meter.gran }

// Granules is a request's billed duration (run, plus init where the
// platform bills it) in granules, the minimum applied.
func (h *PolicyHost) Granules(run, init sim.Time) int64 { return h.f.meter.granules(run, init) }

// Alive is the number of instances of fn alive (starting or ready).
func (h *PolicyHost) Alive(fn int32) int { return int(h.f.fns[fn].alive) }

// StartAhead starts an instance of fn ahead of demand. A reserved one is
// routed to first, never idles out while reserved (Idle is told) and is
// billed as the policy decides; one that is not is pre-warmed (counted in
// PolicyStats.Prewarms). readyNow makes it ready at once (provisioned
// before the run); else it takes a cold start that requests arriving
// meanwhile may wait for.
func (h *PolicyHost) StartAhead(e *sim.Engine, fn int32, reserved, readyNow bool) {
	h.f.startAhead(e, fn, reserved, readyNow)
}

// Unreserve turns up to n reserved instances of fn into on-demand ones,
// idle ones first, and returns how many it turned.
func (h *PolicyHost) Unreserve(e *sim.Engine, fn int32, n int) int { return h.f.unreserve(e, fn, n) }

// Send invokes fn now on the policy's behalf (a keep-warm ping) for exec:
// routed like any request, billed as the policy decides (Bill with own),
// and reported in no request figure.
func (h *PolicyHost) Send(e *sim.Engine, fn int32, exec sim.Time) {
	h.f.dispatch(e, fn, faasQueued{arrival: e.Now(), exec: exec, own: true})
}
