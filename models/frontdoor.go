package models

import (
	"fmt"
	"sort"
	"time"

	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// FrontDoorPricing is how a front door bills.
type FrontDoorPricing uint8

const (
	// FrontDoorFree bills nothing of its own (Lambda function URLs, Cloud
	// Run's built-in ingress).
	FrontDoorFree FrontDoorPricing = iota
	// FrontDoorPerRequest bills every request received, per million, by
	// monthly volume tier (API Gateway).
	FrontDoorPerRequest
	// FrontDoorLoadBalancer bills the hours it runs plus LCU-hours: each
	// hour's LCUs are the largest of its dimensions (Application Load
	// Balancer).
	FrontDoorLoadBalancer
)

// VolumeTier is a request volume tier: requests beyond AboveRequests a
// month cost PricePerMillion (API Gateway: REST 333 M, 1 B, 20 B).
type VolumeTier struct {
	AboveRequests   float64 // monthly volume, requests
	PricePerMillion float64 // USD per million requests in this tier
}

// LCU is what one load-balancer capacity unit provides (ALB: 25 new
// connections per second, 3,000 active connections, 1 GB an hour of
// processed bytes for instance targets or 0.4 GB for Lambda targets, 1,000
// rule evaluations per second). An hour uses the largest of the four.
type LCU struct {
	NewConnectionsPerSecond float64
	ActiveConnections       float64
	ProcessedGBPerHour      float64
	RuleEvaluationsPerSec   float64
	FreeRules               int // rules per request not evaluated against the budget (ALB: 10)
}

// FrontDoorConfig describes what stands in front of a system: a gateway or
// load balancer that adds its latency to every response, may answer with a
// timeout while the backend runs on (and is billed), and bills on its own.
type FrontDoorConfig struct {
	Name    string    // the preset, for reports
	Latency dist.Spec // added to every response the client gets; nil = none
	// Timeout is the integration timeout: a request the backend has not
	// answered Timeout after its arrival gets a gateway timeout (HTTP 504)
	// then; the backend's work goes on and is billed. 0 = none.
	Timeout sim.Time
	Pricing FrontDoorPricing

	// FrontDoorPerRequest.
	PricePerMillionRequests float64      // first volume tier
	Tiers                   []VolumeTier // further tiers, ascending

	// FrontDoorLoadBalancer.
	PricePerHour    float64 // USD per hour running
	PricePerLCUHour float64 // USD per LCU-hour
	Unit            LCU
	// What a request drives: processed bytes (request and response),
	// requests sharing one connection, and the rules evaluated per request.
	BytesPerRequest       float64
	RequestsPerConnection float64 // >= 1
	Rules                 int

	Seed sim.Seed // latency draws from "frontdoor/latency"
}

// FrontDoorStats is what a front door saw over the measured window.
type FrontDoorStats struct {
	Name     string
	Requests int64   // requests received (and, per request, billed)
	TimedOut int64   // requests it answered with a timeout while the backend ran on
	LCUHours float64 // load balancer: capacity units billed, summed over hours
}

// FrontDoor wraps a System: every request passes through it on the way in
// (the backend sees it at its arrival time: the front door's latency is
// added on the way back, so every system of a comparison still sees the
// same arrivals) and on the way out, where the door adds its latency and,
// past its timeout, answers for the backend. Its bill is added to the
// backend's as a cost item of its own.
type FrontDoor struct {
	cfg   FrontDoorConfig
	inner System
	obs   Observer
	w     Window
	e     *sim.Engine
	lat   dist.Rander
	rec   Record

	// Requests waiting for their backend (only with a timeout), in arrival
	// order; deadlines are arrival + Timeout, so the first is the earliest.
	pend     ring[pendingReq]
	timerSet bool
	hTimer   sim.HandlerID

	requests, timedOut int64
	hours              []lbHour // load balancer: usage per clock hour of the window
}

type pendingReq struct {
	at   sim.Time
	fn   int32
	done bool // the backend answered
}

// lbHour is one hour of load-balancer usage.
type lbHour struct {
	requests int64
	inFlight float64 // request-ns in flight (active connections × time)
}

var (
	_ System      = (*FrontDoor)(nil)
	_ Snapshotter = (*FrontDoor)(nil)
)

// NewFrontDoor checks cfg and puts the front door before inner.
func NewFrontDoor(cfg FrontDoorConfig, inner System) (*FrontDoor, error) {
	switch {
	case inner == nil:
		return nil, fmt.Errorf("front door: no system behind it")
	case cfg.Timeout < 0:
		return nil, fmt.Errorf("front door: timeout %v, want >= 0", cfg.Timeout)
	case cfg.PricePerMillionRequests < 0 || cfg.PricePerHour < 0 || cfg.PricePerLCUHour < 0 || cfg.BytesPerRequest < 0 || cfg.Rules < 0:
		return nil, fmt.Errorf("front door: prices, bytes and rules must be >= 0")
	case cfg.Pricing == FrontDoorLoadBalancer && (cfg.RequestsPerConnection < 1 || cfg.Unit.NewConnectionsPerSecond <= 0 ||
		cfg.Unit.ActiveConnections <= 0 || cfg.Unit.ProcessedGBPerHour <= 0 || cfg.Unit.RuleEvaluationsPerSec <= 0):
		return nil, fmt.Errorf("front door: a load balancer needs requests_per_connection >= 1 and LCU dimensions > 0")
	}
	for i, t := range cfg.Tiers {
		if t.PricePerMillion < 0 || t.AboveRequests <= 0 || (i > 0 && t.AboveRequests <= cfg.Tiers[i-1].AboveRequests) {
			return nil, fmt.Errorf("front door: volume tiers must ascend from > 0 with prices >= 0")
		}
	}
	d := &FrontDoor{cfg: cfg, inner: inner}
	if cfg.Latency != nil {
		d.lat = cfg.Latency.New(cfg.Seed.Source("frontdoor/latency"))
	}
	return d, nil
}

// Start implements System: the backend reports to the front door.
func (d *FrontDoor) Start(e *sim.Engine, obs Observer, w Window) {
	d.e, d.obs, d.w = e, obs, w
	d.hTimer = e.Register((*frontDoorTimer)(d))
	if d.cfg.Pricing == FrontDoorLoadBalancer {
		d.hours = make([]lbHour, (w.Horizon-w.Warmup+time.Hour-1)/time.Hour)
	}
	d.inner.Start(e, (*frontDoorInner)(d), w)
}

// Arrive implements System.
func (d *FrontDoor) Arrive(e *sim.Engine, inv *workloads.Invocation) {
	if inv.At >= d.w.Warmup {
		d.requests++
		if d.hours != nil {
			d.hours[d.hour(inv.At)].requests++
		}
		if d.cfg.Timeout > 0 {
			d.pend.push(pendingReq{at: inv.At, fn: inv.Fn})
			if !d.timerSet {
				d.timerSet = true
				e.ScheduleID(inv.At+d.cfg.Timeout+1, d.hTimer, 0)
			}
		}
	}
	d.inner.Arrive(e, inv)
}

// hour is the index of the window's clock hour holding t (t in the window).
func (d *FrontDoor) hour(t sim.Time) int { return int((t - d.w.Warmup) / time.Hour) }

type frontDoorInner FrontDoor

func (h *frontDoorInner) Arrived(*workloads.Invocation) {} // systems never call it

// Ended: the backend answered a measured request (it reports no other).
func (h *frontDoorInner) Ended(r *Record) {
	d := (*FrontDoor)(h)
	if d.cfg.Timeout > 0 && !d.claim(r.Arrival, r.Fn) {
		return // the front door has answered it already, with a timeout
	}
	d.rec = *r
	if d.cfg.Timeout > 0 && r.End-r.Arrival > d.cfg.Timeout {
		// Late by less than the timer's nanosecond: the front door answered
		// at the deadline.
		d.timedOut++
		d.rec = Record{Arrival: r.Arrival, End: r.Arrival + d.cfg.Timeout, Fn: r.Fn, Outcome: TimedOut}
	}
	d.rec.End += d.latency()
	d.report()
}

// claim marks the pending request (arrival, fn) answered by the backend
// and reports whether it was still waiting. Requests of one arrival time
// and function are interchangeable: they share a deadline.
func (d *FrontDoor) claim(at sim.Time, fn int32) bool {
	q := &d.pend
	n := q.len()
	i := sort.Search(n, func(i int) bool { return q.buf[(q.head+i)%len(q.buf)].at >= at })
	for ; i < n; i++ {
		p := &q.buf[(q.head+i)%len(q.buf)]
		if p.at != at {
			break
		}
		if p.fn == fn && !p.done {
			p.done = true
			for q.len() > 0 && q.peek().done {
				q.pop()
			}
			return true
		}
	}
	return false
}

type frontDoorTimer FrontDoor

// Fire: the earliest pending deadline has passed (the timer runs 1 ns after
// it, so a backend answering exactly at the deadline is in time). Every
// request past its deadline gets the front door's timeout now.
func (h *frontDoorTimer) Fire(e *sim.Engine, _ uint64) {
	d := (*FrontDoor)(h)
	now, q := e.Now(), &d.pend
	for q.len() > 0 {
		p := q.peek()
		if p.done {
			q.pop()
			continue
		}
		if p.at+d.cfg.Timeout >= now {
			break
		}
		d.timedOut++
		d.rec = Record{Arrival: p.at, End: p.at + d.cfg.Timeout + d.latency(), Fn: p.fn, Outcome: TimedOut}
		q.pop()
		d.report()
	}
	d.timerSet = q.len() > 0
	if d.timerSet {
		e.ScheduleID(q.peek().at+d.cfg.Timeout+1, d.hTimer, 0)
	}
}

func (d *FrontDoor) latency() sim.Time {
	if d.lat == nil {
		return 0
	}
	return dist.Seconds(d.lat.Rand())
}

// report passes d.rec to the observer and counts its connection time.
func (d *FrontDoor) report() {
	if d.hours != nil {
		d.inFlight(d.rec.Arrival, d.rec.End)
	}
	d.obs.Ended(&d.rec)
}

// inFlight adds [from, to), clipped to the window, to the hours it spans.
func (d *FrontDoor) inFlight(from, to sim.Time) {
	from, to = max(from, d.w.Warmup), min(to, d.w.Horizon)
	for from < to {
		h := d.hour(from)
		end := min(to, d.w.Warmup+sim.Time(h+1)*time.Hour)
		d.hours[h].inFlight += float64(end - from)
		from = end
	}
}

// Finish implements System: the backend's summary with the front door's
// bill as one more cost item.
func (d *FrontDoor) Finish() Summary {
	s := d.inner.Finish()
	if st := s.Stopped; st != nil {
		// The backend stopped (its backlog over its budget): so did the door.
		d.w.Horizon = max(st.At, d.w.Warmup)
		if d.w.Horizon == d.w.Warmup {
			return s
		}
	}
	if d.hours != nil {
		// Connections of requests still unanswered at the horizon count up
		// to it (tracked with a timeout only: without one they are not seen).
		for i := range d.pend.len() {
			if p := d.pend.buf[(d.pend.head+i)%len(d.pend.buf)]; !p.done {
				d.inFlight(p.at, d.w.Horizon)
			}
		}
	}
	usd, lcu := d.bill(d.w.Horizon)
	st := &FrontDoorStats{Name: d.cfg.Name, Requests: d.requests, TimedOut: d.timedOut, LCUHours: lcu}
	s.FrontDoor = st
	if name := d.costName(); name != "" {
		s.Cost.Items = append(s.Cost.Items, CostItem{Name: name, USD: usd})
		// Tiers are pro rata and the hours scale with the window, so the
		// month is this window's bill × Month / window, as the backend's.
		s.Cost.MonthlyUSD += usd * float64(Month) / float64(d.w.Horizon-d.w.Warmup)
	}
	return s
}

func (d *FrontDoor) costName() string {
	switch d.cfg.Pricing {
	case FrontDoorPerRequest:
		return "api_gateway"
	case FrontDoorLoadBalancer:
		return "load_balancer"
	}
	return ""
}

// bill is the front door's bill for the window up to now, and the
// LCU-hours in it.
func (d *FrontDoor) bill(now sim.Time) (usd, lcuHours float64) {
	span := now - d.w.Warmup
	if span <= 0 {
		return 0, 0
	}
	switch d.cfg.Pricing {
	case FrontDoorPerRequest:
		frac := float64(span) / float64(Month)
		return tiered(float64(d.requests), frac, d.cfg.PricePerMillionRequests, len(d.cfg.Tiers),
			func(i int) (float64, float64) { return d.cfg.Tiers[i].AboveRequests, d.cfg.Tiers[i].PricePerMillion }) / 1e6, 0
	case FrontDoorLoadBalancer:
		lcuHours = d.lcuHours(now)
		return span.Hours()*d.cfg.PricePerHour + lcuHours*d.cfg.PricePerLCUHour, lcuHours
	}
	return 0, 0
}

// lcuHours sums, over the clock hours of the window up to now, each hour's
// LCUs (the largest of its dimensions, each averaged over the hour's part
// in the window) × that part, in hours. An hour's rates: new connections
// per second = requests ÷ requests per connection ÷ seconds; active
// connections = the mean number of requests in flight (a connection counts
// while it carries a request); processed GB per hour = requests × bytes ÷
// hours; rule evaluations per second = requests × rules beyond the free
// ones ÷ seconds.
func (d *FrontDoor) lcuHours(now sim.Time) float64 {
	c, u := d.cfg, d.cfg.Unit
	var total float64
	for h := range d.hours {
		from := d.w.Warmup + sim.Time(h)*time.Hour
		if from >= now {
			break
		}
		secs := (min(now, from+time.Hour) - from).Seconds()
		hu := d.hours[h]
		req := float64(hu.requests)
		lcu := max(
			req/c.RequestsPerConnection/secs/u.NewConnectionsPerSecond,
			hu.inFlight/1e9/secs/u.ActiveConnections,
			req*c.BytesPerRequest/1e9/(secs/3600)/u.ProcessedGBPerHour,
			req*float64(max(0, c.Rules-u.FreeRules))/secs/u.RuleEvaluationsPerSec,
		)
		total += lcu * secs / 3600
	}
	return total
}

// Snapshot implements Snapshotter when the backend does: its state, with
// the front door's bill so far added.
func (d *FrontDoor) Snapshot(now sim.Time) Snapshot {
	sn, ok := d.inner.(Snapshotter)
	if !ok {
		return Snapshot{}
	}
	s := sn.Snapshot(now)
	if now > d.w.Warmup {
		usd, _ := d.bill(now)
		s.CostUSD += usd
	}
	return s
}
