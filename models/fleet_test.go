package models_test

import (
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/sim/dist"
	"github.com/faasim/faasim/workloads"
)

// steps is a deterministic arrival process: evenly spaced arrivals at
// rate[k] per second from from[k] to from[k+1] (the last step runs on).
type steps struct {
	from []sim.Time
	rate []float64
	k, n int // current step, arrivals made in it
}

func (a *steps) Next() (sim.Time, bool) {
	for {
		t := a.from[a.k] + time.Duration(float64(a.n)/a.rate[a.k]*1e9)
		if a.k+1 < len(a.from) && t >= a.from[a.k+1] {
			a.k, a.n = a.k+1, 0
			continue
		}
		a.n++
		return t, true
	}
}

// timeline records the fleet's events and bills them independently of the
// model: per instance, its part of the window, at least the minimum when
// launched in the window, rounded up to the granularity.
type timeline struct{ ev []models.FleetEvent }

func (tl *timeline) record(e models.FleetEvent) { tl.ev = append(tl.ev, e) }

func (tl *timeline) billedSeconds(w models.Window, minimum, gran sim.Time) float64 {
	launch, end := map[int]sim.Time{}, map[int]sim.Time{}
	for _, e := range tl.ev {
		switch e.Kind {
		case models.FleetLaunch:
			launch[e.ID] = e.At
		case models.FleetTerminate:
			end[e.ID] = e.At
		}
	}
	var total float64
	for id, l := range launch {
		e, ok := end[id]
		if !ok || e > w.Horizon {
			e = w.Horizon
		}
		d := min(e, w.Horizon) - max(l, w.Warmup)
		if d < 0 {
			d = 0
		}
		if l >= w.Warmup && d < minimum {
			d = minimum
		}
		total += math.Ceil(d.Seconds()/gran.Seconds()) * gran.Seconds()
	}
	return total
}

// size is the number of instances launched and not terminated at t
// (events at t included), and the number of those ready.
func (tl *timeline) size(t sim.Time) (alive, ready int) {
	for _, e := range tl.ev {
		if e.At > t {
			break
		}
		switch e.Kind {
		case models.FleetLaunch:
			alive++
		case models.FleetReady:
			ready++
		case models.FleetTerminate:
			alive--
			ready-- // ready or draining (instances are never cut while booting here)
		}
	}
	return alive, ready
}

func (tl *timeline) times(k models.FleetEventKind) []sim.Time {
	var ts []sim.Time
	for _, e := range tl.ev {
		if e.Kind == k {
			ts = append(ts, e.At)
		}
	}
	return ts
}

var ec2 = models.ServerBilling{PricePerHour: 0.096, MinimumBilled: time.Minute, Granularity: time.Second}

// TestAutoscalerFlashCrowd: 4 single-worker instances, execution 1 s, load
// 1 req/s until 600 s, then 6 req/s (the flash crowd: capacity 4 req/s),
// then 1 req/s again from 1000 s. Target utilization 0.5, min 4, max 20,
// evaluation every 60 s, boot 90 s, scale-out cooldown 60 s, scale-in
// cooldown 600 s. Arrivals and execution are deterministic, so every figure
// below is derived by hand:
//
//   - 660 s: [600, 660) was saturated (4 busy) → desired ceil(4/0.5) = 8:
//     4 launch, ready at 660+90 = 750 s.
//   - Until 750 s the queue grows at 6-4 = 2/s, to 2×150 = 300 at 750 s.
//   - The longest wait is for the arrival at t = 700 s: 2×(700-600) = 200
//     ahead, served 4/s → 50 s. (A request at t ≤ 700 waits (t-600)/2; one
//     after 700 waits (750-t) + (6t-4200)/8 ≤ 50.) Bounded by interval +
//     boot = 150 s, as any spike is once one decision brings enough capacity.
//   - 780 s: [720, 780) had mean busy (4×30+8×30)/60 = 6 → desired 12: 4
//     launch (ready 870 s). The backlog keeps every worker busy, so
//   - 840 s: [780, 840) had 8 busy → desired 16: 4 launch (ready 930 s).
//   - The queue drains at 8-6 = 2/s from 750 s (240 at 780, 60 at 870) and
//     at 12-6 = 6/s from 870 s: empty at 870 + 60/6 = 880 s. From then on no
//     request waits: latency is the 1 s execution.
//   - 900 s: [840, 900) mean busy (8×30+12×10+6×20)/60 = 8 → 16, no change.
//     The fleet is then 16 for 6 busy (desired 12), later for 1 busy, but
//     scale-in waits for the cooldown: the first evaluation at or after
//     840+600 = 1440 s. [1380, 1440) had 1 busy → desired max(ceil(1/0.5),
//     min 4) = 4: 12 instances end at 1440 s (idle, or draining their one
//     request, which ends within 1 s).
func TestAutoscalerFlashCrowd(t *testing.T) {
	const (
		step, back = 600 * time.Second, 1000 * time.Second
		interval   = 60 * time.Second
		boot       = 90 * time.Second
		inCool     = 600 * time.Second
	)
	w := models.Window{Horizon: 2000 * time.Second}
	tl := &timeline{}
	s := newServer(t, models.ServerConfig{
		Instances: 4, Billing: ec2, Boot: dist.Constant{Value: boot.Seconds()},
		Autoscale: &models.Autoscale{Metric: models.MetricUtilization, Target: 0.5, Min: 4, Max: 20,
			Interval: interval, ScaleOutCooldown: 60 * time.Second, ScaleInCooldown: inCool, ScaleIn: true},
		OnFleet: tl.record,
	})
	arr := &steps{from: []sim.Time{0, step, back}, rate: []float64{1, 6, 1}}
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: 1})}
	sum, c := simulate(t, s, 1, arr, fns, w, true)

	const tol = 1.0 // s: arrivals 1/6 s apart and whole-request service steps
	var maxWait, maxWaitAt float64
	for _, r := range c.records {
		at, wait := r.Arrival.Seconds(), r.Wait.Seconds()
		if wait > maxWait {
			maxWait, maxWaitAt = wait, at
		}
		switch {
		case at < step.Seconds() && wait != 0:
			t.Fatalf("request at %.2f s waited %.2f s before the crowd", at, wait)
		case at >= 880+tol && wait != 0:
			t.Fatalf("request at %.2f s waited %.2f s after the queue drained (880 s)", at, wait)
		case at >= step.Seconds() && at <= 700 && math.Abs(wait-(at-600)/2) > tol:
			t.Fatalf("request at %.2f s waited %.2f s, want (t-600)/2 = %.2f s", at, wait, (at-600)/2)
		}
	}
	if math.Abs(maxWait-50) > tol || math.Abs(maxWaitAt-700) > 2*tol {
		t.Errorf("longest wait %.2f s at %.2f s, want 50 s at 700 s", maxWait, maxWaitAt)
	}
	if maxWait > (interval + boot).Seconds() {
		t.Errorf("longest wait %.2f s above interval + boot", maxWait)
	}

	launches := tl.times(models.FleetLaunch)
	wantLaunch := []float64{0, 0, 0, 0, 660, 660, 660, 660, 780, 780, 780, 780, 840, 840, 840, 840}
	if len(launches) != len(wantLaunch) {
		t.Fatalf("launches at %v, want %v s", launches, wantLaunch)
	}
	for i, l := range launches {
		if l.Seconds() != wantLaunch[i] {
			t.Fatalf("launches at %v, want %v s", launches, wantLaunch)
		}
	}
	for _, tt := range []struct {
		at    float64 // s
		ready int
	}{{750, 4}, {750.000001, 8}, {870, 8}, {870.000001, 12}, {930, 12}, {930.000001, 16}} {
		// ready exactly one boot after each launch (events at a time count at it)
		if _, ready := tl.size(time.Duration(tt.at*1e9) - 1); ready != tt.ready {
			t.Errorf("ready just before %v s: %d, want %d", tt.at, ready, tt.ready)
		}
	}
	ends := tl.times(models.FleetTerminate)
	if len(ends) != 12 {
		t.Fatalf("%d terminations (%v), want 12", len(ends), ends)
	}
	// Scale-in: the first evaluation at or after the last scale-out + cooldown,
	// never before; a draining instance ends with its request (< 1 s later).
	firstIn := math.Ceil((840+inCool.Seconds())/interval.Seconds()) * interval.Seconds()
	for _, e := range ends {
		if e.Seconds() < firstIn || e.Seconds() > firstIn+1 {
			t.Errorf("instance ended at %v, want in [%v, %v] s", e, firstIn, firstIn+1)
		}
	}
	fs := sum.Instances.Fleet
	if fs == nil {
		t.Fatal("no fleet stats")
	}
	if fs.ScaleOuts != 3 || fs.ScaleIns != 1 || fs.Launched != 16 || fs.Terminated != 12 {
		t.Errorf("stats %+v, want 3 scale-outs, 1 scale-in, 16 launched, 12 terminated", *fs)
	}
	// The bill is the instance timeline's, computed here from the events.
	billed := tl.billedSeconds(w, ec2.MinimumBilled, ec2.Granularity)
	if fs.BilledSeconds != billed {
		t.Errorf("billed %v instance-s, timeline says %v", fs.BilledSeconds, billed)
	}
	if usd := billed / 3600 * 0.096; math.Abs(sum.Cost.Total()-usd) > 1e-12 {
		t.Errorf("bill %.12g USD, want %.12g", sum.Cost.Total(), usd)
	}
	// Boot: 12 instances × 90 s.
	if fs.BootSeconds != 12*boot.Seconds() {
		t.Errorf("boot %v instance-s, want 12 × 90", fs.BootSeconds)
	}
	// Busy + idle + boot = alive instance-seconds (every instance serves one
	// request at a time here, so busy instance-s = busy worker-s).
	alive := sum.Instances.Mean * w.Horizon.Seconds()
	busy := sum.Instances.MeanBusy * w.Horizon.Seconds()
	if math.Abs(busy+fs.IdleSeconds+fs.BootSeconds-alive) > 1e-6*alive {
		t.Errorf("busy %v + idle %v + boot %v != alive %v instance-s", busy, fs.IdleSeconds, fs.BootSeconds, alive)
	}
}

// TestScheduledFleet: counts by time of day, no autoscaler. Schedule 00:00
// → 2, 08:00 → 6, 20:00 → 1, over 32 h (two mornings), boot 120 s. Two
// requests of 3 h arrive at 19:00 and go to the two most recently readied
// instances (IDs 5 and 4, launched at 08:00). At 20:00 five must go: the four
// idle ones end at once, and of the two busy ones the lower ID (4) drains
// and ends at 22:00 with its request. Otherwise no load.
func TestScheduledFleet(t *testing.T) {
	const boot = 120 * time.Second
	h := time.Hour
	w := models.Window{Horizon: 32 * h}
	tl := &timeline{}
	s := newServer(t, models.ServerConfig{
		Billing: ec2, Boot: dist.Constant{Value: boot.Seconds()},
		Schedule: []models.ScheduledCount{{At: 0, Instances: 2}, {At: 8 * h, Instances: 6}, {At: 20 * h, Instances: 1}},
		OnFleet:  tl.record,
	})
	fns := []workloads.Function{fn("f", 512, dist.Constant{Value: (3 * h).Seconds()})}
	sum, c := simulate(t, s, 1, secs((19*h).Seconds(), (19*h).Seconds()), fns, w, true)
	if c.completed() != 2 || c.records[0].Wait != 0 || c.records[1].Wait != 0 {
		t.Fatalf("records %+v", c.records)
	}
	tests := []struct {
		at           sim.Time
		alive, ready int
	}{
		{0, 2, 2},              // the fleet of 00:00 is up at the start, no boot
		{8*h - 1, 2, 2},        // just before the boundary
		{8 * h, 6, 2},          // 4 launched at 08:00 ...
		{8*h + boot - 1, 6, 2}, // ... still booting ...
		{8*h + boot, 6, 6},     // ... serving one boot later
		{20*h - 1, 6, 6},       // just before the evening boundary
		{20 * h, 2, 2},         // 4 idle ones end at once; one busy drains, one stays
		{22*h - 1, 2, 2},       // the draining one serves its request to the end
		{22 * h, 1, 1},         // and ends with it
		{24 * h, 2, 1},         // 00:00 of day 2: one launch
		{24*h + boot, 2, 2},    // ready one boot later
		{32 * h, 2, 2},         // 08:00 of day 2 is the horizon: nothing fires there
	}
	for _, tt := range tests {
		if alive, ready := tl.size(tt.at); alive != tt.alive || ready != tt.ready {
			t.Errorf("at %v: %d alive, %d ready; want %d, %d", tt.at, alive, ready, tt.alive, tt.ready)
		}
	}
	if d := tl.times(models.FleetDrain); len(d) != 1 || d[0] != 20*h {
		t.Errorf("drains at %v, want one at 20h", d)
	}
	fs := sum.Instances.Fleet
	// Billed, by hand: IDs 0, 1 from 0 to 20 h; IDs 2, 3 from 8 h to 20 h;
	// ID 4 from 8 h to 22 h (drained); ID 5 from 8 h to the horizon; ID 6
	// from 24 h to the horizon.
	wantBilled := (2*20*h + 2*(20*h-8*h) + (22*h - 8*h) + (32*h - 8*h) + (32*h - 24*h)).Seconds()
	if got := tl.billedSeconds(w, ec2.MinimumBilled, ec2.Granularity); got != wantBilled || fs.BilledSeconds != wantBilled {
		t.Errorf("billed %v (timeline %v) instance-s, want %v", fs.BilledSeconds, got, wantBilled)
	}
	if usd := wantBilled / 3600 * 0.096; math.Abs(sum.Cost.Total()-usd) > 1e-12 {
		t.Errorf("bill %.12g USD, want %.12g", sum.Cost.Total(), usd)
	}
	// Boot: 4 × 120 s at 08:00 and 1 × 120 s at 24:00.
	if want := 5 * boot.Seconds(); fs.BootSeconds != want {
		t.Errorf("boot %v instance-s, want %v", fs.BootSeconds, want)
	}
	// Idle: everything billed except boots and the 2 × 3 h in service.
	if want := wantBilled - fs.BootSeconds - 2*(3*h).Seconds(); math.Abs(fs.IdleSeconds-want) > 1e-9 {
		t.Errorf("idle %v instance-s, want %v", fs.IdleSeconds, want)
	}
	if fs.ScaleOuts != 2 || fs.ScaleIns != 1 || fs.Launched != 7 || fs.Terminated != 5 {
		t.Errorf("stats %+v, want 2 scale-outs (08:00, 00:00), 1 scale-in (20:00), 7 launched, 5 terminated", *fs)
	}
}

// TestAutoscalerVariants: the flash crowd of TestAutoscalerFlashCrowd (4
// instances, 1 → 6 req/s at 600 s, back to 1 at 1000 s, 1 s requests, boot
// 90 s, evaluation 60 s, cooldowns 60 s out and 600 s in, min 4, max 20)
// under other settings. Figures derived by hand per row.
func TestAutoscalerVariants(t *testing.T) {
	tests := []struct {
		name    string
		metric  models.Metric
		target  float64
		scaleIn bool
		launch  []float64 // s, after the 4 of time 0
		clear   float64   // s: no request arriving after this waits
		ends    int       // instances terminated by the horizon (2000 s)
	}{
		// Queue metric, 5 queued per instance: [600, 660) had the queue grow
		// 0 → 120, mean 60 → desired 12: 8 launch at 660 (ready 750). [660,
		// 720) mean (120+240)/2 = 180 → 36, capped at max 20: 8 more at 720.
		// From 750 s 12 workers drain the 300 queued at 12-6 = 6/s: empty at
		// 800 s. [780, 840) had a mean queue of 120×20/2/60 = 20 → desired
		// 4; scale-in at the first evaluation after 720+600 = 1320 s, to 4:
		// 16 end.
		{"queue", models.MetricQueue, 5, true, []float64{660, 660, 660, 660, 660, 660, 660, 660,
			720, 720, 720, 720, 720, 720, 720, 720}, 800, 16},
		// Utilization as in TestAutoscalerFlashCrowd, scale-in disabled:
		// the same three scale-outs, and the fleet of 16 stays to the end.
		{"no scale-in", models.MetricUtilization, 0.5, false, []float64{660, 660, 660, 660,
			780, 780, 780, 780, 840, 840, 840, 840}, 880, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := models.Window{Horizon: 2000 * time.Second}
			tl := &timeline{}
			s := newServer(t, models.ServerConfig{
				Instances: 4, Billing: ec2, Boot: dist.Constant{Value: 90},
				Autoscale: &models.Autoscale{Metric: tt.metric, Target: tt.target, Min: 4, Max: 20,
					Interval: time.Minute, ScaleOutCooldown: time.Minute, ScaleInCooldown: 10 * time.Minute, ScaleIn: tt.scaleIn},
				OnFleet: tl.record,
			})
			arr := &steps{from: []sim.Time{0, 600 * time.Second, 1000 * time.Second}, rate: []float64{1, 6, 1}}
			sum, c := simulate(t, s, 1, arr, []workloads.Function{fn("f", 512, dist.Constant{Value: 1})}, w, true)
			var got []float64
			for _, l := range tl.times(models.FleetLaunch)[4:] {
				got = append(got, l.Seconds())
			}
			if len(got) != len(tt.launch) {
				t.Fatalf("launches at %v s, want %v", got, tt.launch)
			}
			for i := range got {
				if got[i] != tt.launch[i] {
					t.Fatalf("launches at %v s, want %v", got, tt.launch)
				}
			}
			for _, r := range c.records {
				if r.Arrival.Seconds() > tt.clear+1 && r.Wait != 0 {
					t.Fatalf("request at %v waited %v; the queue should be empty from %v s", r.Arrival, r.Wait, tt.clear)
				}
			}
			if n := len(tl.times(models.FleetTerminate)); n != tt.ends {
				t.Errorf("%d terminations, want %d", n, tt.ends)
			}
			if b := tl.billedSeconds(w, ec2.MinimumBilled, ec2.Granularity); sum.Instances.Fleet.BilledSeconds != b {
				t.Errorf("billed %v, timeline %v", sum.Instances.Fleet.BilledSeconds, b)
			}
		})
	}
}

// TestScaledFleetDeterminism: random boot delays and Poisson arrivals, same
// seed → the same summary; another seed → another bill.
func TestScaledFleetDeterminism(t *testing.T) {
	run := func(seed sim.Seed) models.Summary {
		s := newServer(t, models.ServerConfig{
			WorkersPerInstance: 2, Billing: ec2, Seed: seed,
			Boot: dist.LogNormalMedianP99(90, 180),
			Autoscale: &models.Autoscale{Target: 0.6, Min: 1, Max: 10, Interval: time.Minute,
				ScaleOutCooldown: time.Minute, ScaleInCooldown: 5 * time.Minute, ScaleIn: true},
			Schedule: []models.ScheduledCount{{At: 0, Instances: 1}, {At: 2 * time.Hour, Instances: 3}},
		})
		sum, _ := simulate(t, s, seed, workloads.NewPoisson(seed, 5), []workloads.Function{fn("f", 512, dist.LogNormalMedianP99(0.4, 2))},
			models.Window{Warmup: 10 * time.Minute, Horizon: 4 * time.Hour}, false)
		return sum
	}
	a, b, c := run(1), run(1), run(2)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different summaries:\n%+v\n%+v", a, b)
	}
	if a.Cost.Total() == c.Cost.Total() {
		t.Errorf("seeds 1 and 2 gave the same bill %v", a.Cost.Total())
	}
	if a.Instances.Fleet.ScaleOuts == 0 {
		t.Errorf("no scale-out: %+v", *a.Instances.Fleet)
	}
}

// TestNewServerScaling: settings the model refuses, and the count at time 0.
func TestNewServerScaling(t *testing.T) {
	as := func(min, max int, target float64) *models.Autoscale {
		return &models.Autoscale{Target: target, Min: min, Max: max, Interval: time.Minute}
	}
	tests := []struct {
		name string
		cfg  models.ServerConfig
		err  string // "" = valid
		n    int    // instances at time 0 when valid
	}{
		{"min 0", models.ServerConfig{Autoscale: as(0, 3, 0.5)}, "want 1 <= min <= max", 0},
		{"max < min", models.ServerConfig{Autoscale: as(3, 2, 0.5)}, "want 1 <= min <= max", 0},
		{"utilization > 1", models.ServerConfig{Autoscale: as(1, 2, 1.5)}, "target", 0},
		{"instances above max", models.ServerConfig{Instances: 5, Autoscale: as(1, 2, 0.5)}, "within autoscale", 0},
		{"unsorted schedule", models.ServerConfig{Schedule: []models.ScheduledCount{{At: time.Hour, Instances: 1}, {At: 0, Instances: 2}}}, "increasing", 0},
		{"schedule past a day", models.ServerConfig{Schedule: []models.ScheduledCount{{At: 24 * time.Hour, Instances: 1}}}, "time of day", 0},
		// autoscale alone starts at min
		{"starts at min", models.ServerConfig{Autoscale: as(2, 5, 0.5)}, "", 2},
		// a schedule with no entry at 00:00 starts with the day's last entry
		{"wraps", models.ServerConfig{Schedule: []models.ScheduledCount{{At: 8 * time.Hour, Instances: 6}, {At: 20 * time.Hour, Instances: 3}}}, "", 3},
		// under an autoscaler the schedule is a floor with min
		{"floor", models.ServerConfig{Autoscale: as(2, 9, 0.5), Schedule: []models.ScheduledCount{{At: 0, Instances: 1}}}, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Functions, tt.cfg.WorkersPerInstance = 1, 1
			tl := &timeline{}
			tt.cfg.OnFleet = tl.record
			s, err := models.NewServer(tt.cfg)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			simulate(t, s, 1, secs(), []workloads.Function{fn("f", 128, dist.Constant{Value: 1})}, models.Window{Horizon: time.Second}, false)
			if alive, _ := tl.size(0); alive != tt.n {
				t.Errorf("%d instances at time 0, want %d", alive, tt.n)
			}
		})
	}
}

// runScaled1000 is runServer1000's workload on an autoscaled fleet.
func runScaled1000(tb testing.TB, d time.Duration) {
	fns := []workloads.Function{fn("f", 512, dist.LogNormalMedianP99(0.08, 0.4))}
	w := models.Window{Horizon: d}
	s := newServer(tb, models.ServerConfig{WorkersPerInstance: 8, Timeout: 5 * time.Second, Billing: ec2,
		Boot: dist.Constant{Value: 60},
		Autoscale: &models.Autoscale{Target: 0.6, Min: 10, Max: 40, Interval: 10 * time.Second,
			ScaleOutCooldown: time.Minute, ScaleInCooldown: 5 * time.Minute, ScaleIn: true}})
	src, err := workloads.NewMixed(1, workloads.NewPoisson(1, 1000), fns, w.Horizon)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := models.Simulate(contextBG, s, src, w, nop{}); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkAutoscaledFleet1000 simulates 60 s (60 000 requests) per op of
// an autoscaled fleet and reports simulated requests per wall second.
func BenchmarkAutoscaledFleet1000(b *testing.B) {
	const d = 60 * time.Second
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		runScaled1000(b, d)
	}
	b.ReportMetric(float64(b.N)*1000*d.Seconds()/b.Elapsed().Seconds(), "req/s")
}

// TestScaledFleetMemory: as TestMemoryDoesNotGrowWithRequests, for an
// autoscaled fleet: state is per instance and per request in flight.
func TestScaledFleetMemory(t *testing.T) {
	var m0, m1, m2 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	runScaled1000(t, 60*time.Second)
	runtime.ReadMemStats(&m1)
	runScaled1000(t, 600*time.Second)
	runtime.ReadMemStats(&m2)
	base, long := m1.TotalAlloc-m0.TotalAlloc, m2.TotalAlloc-m1.TotalAlloc
	t.Logf("allocated %d bytes for 60 s, %d bytes for 600 s", base, long)
	if long >= 2*base {
		t.Errorf("allocated %d bytes for 600 s, %d for 60 s: memory grows with the number of requests", long, base)
	}
}
