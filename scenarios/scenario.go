package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/sim"
	"github.com/faasim/faasim/workloads"
)

// Scenario is a checked scenario file: every field is valid and defaults
// are filled.
type Scenario struct {
	File      string // path given, or "embedded:NAME" for an example
	Name      string
	Seed      uint64
	Duration  time.Duration
	Warmup    time.Duration
	Workload  Workload
	Functions []workloads.Function
	// Calls says how each function is called (invocation, errors, state),
	// by function; nil when every call goes straight to the systems.
	Calls   []models.FunctionCalls
	Systems []System
	Report  Report
	// MaxBacklogMB is the memory each system's queued requests may hold,
	// MiB (max_backlog_mb): a system whose backlog passes it stops there
	// (models.Stop).
	MaxBacklogMB float64
	// Warnings are figures accepted but beyond anything a real platform
	// allows (bounds.go), for the caller to show.
	Warnings Problems
	// Sweep: the file has a sweep: or goal: section, which package sweep
	// runs; the rest of the file is its base scenario.
	Sweep bool
	// SLO is every system's service-level objective (slo:): constraints
	// over its metrics; nil without one.
	SLO []*reports.Expr
	// Overrides were applied to the file's keys before checking (--set).
	Overrides []Override
	// perFunction holds functions[i].workload when each function has its own.
	perFunction []Workload
}

// Workload is what arrives. Type is a key of workloadTypes.
type Workload struct {
	Type string
	Rate float64 // requests per second
	Zipf float64 // > 0: function weights 1/rank^Zipf over the function list
	// gen builds a generated process from a named stream (see workload.go).
	gen   func(seed sim.Seed, stream string) workloads.Arrivals
	Trace *workloads.Trace // type trace: the checked trace
	trace *workloads.TraceOptions
	shape shape // for the cost estimate (estimate.go)
}

// System is one system to compare. Exactly one of FaaS and Server is set,
// with Functions and Seed left empty: NewSystem fills them.
type System struct {
	Name, Type, Platform string // Type "faas" | "server"; Platform "" for none
	FaaS                 *models.FaaSConfig
	Server               *models.ServerConfig
	FrontDoor            *models.FrontDoorConfig // nil: clients call the system directly
	// CacheHitRatio is the share of functions' state round trips a server
	// fleet answers from memory (cache_hit_ratio).
	CacheHitRatio float64
	// Invocation, if set, is how every function is called on this system
	// (its invocation key), replacing the functions' own types.
	Invocation     models.InvocationType
	invocationName string
	// Params are the system's keys as it runs (resolved.go): results.json
	// records them so a reader needs no scenario to know what ran.
	Params map[string]any
}

// Problem is one thing wrong with a scenario.
type Problem struct {
	File string
	Path string // key path like "systems[1].keep_alive.idle", "line 3", or "" for the whole file
	Msg  string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.File + ": " + p.Msg
	}
	return p.File + ": " + p.Path + ": " + p.Msg
}

// Problems is every problem found in a scenario.
type Problems []Problem

// Error prints one problem per line as "FILE: PATH: MSG".
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Window is the measured part of the run.
func (s *Scenario) Window() models.Window {
	return models.Window{Warmup: s.Warmup, Horizon: s.Duration}
}

// NewSource returns a fresh workload; every system of a comparison gets its
// own from the same seed, so all see the same arrivals.
func (s *Scenario) NewSource(seed sim.Seed) (workloads.Source, error) {
	return s.newSource(seed)
}

// NewSystem returns a fresh models.System for s.Systems[i]; a System serves
// one run only.
func (s *Scenario) NewSystem(i int, seed sim.Seed) (models.System, error) {
	if i < 0 || i >= len(s.Systems) {
		return nil, fmt.Errorf("scenarios: no system %d (scenario has %d)", i, len(s.Systems))
	}
	sys := s.Systems[i]
	var (
		m   models.System
		err error
	)
	switch {
	case sys.FaaS != nil:
		cfg := *sys.FaaS
		cfg.Functions = slices.Clone(s.Functions)
		cfg.Seed = seed
		cfg.BacklogBudget = s.backlogBudget()
		m, err = models.NewFaaS(cfg)
	case sys.Server != nil:
		cfg := *sys.Server
		cfg.Functions = len(s.Functions)
		cfg.Seed = seed
		cfg.BacklogBudget = s.backlogBudget()
		m, err = models.NewServer(cfg)
	default:
		err = fmt.Errorf("neither faas nor server")
	}
	if err == nil {
		m, err = s.wrapCalls(sys, m, seed)
	}
	if err == nil && sys.FrontDoor != nil {
		fd := *sys.FrontDoor
		fd.Seed = seed
		m, err = models.NewFrontDoor(fd, m)
	}
	if err != nil {
		return nil, fmt.Errorf("system %q: %w", sys.Name, err)
	}
	return m, nil
}

// backlogBudget is max_backlog_mb in bytes, at least one queued request's
// worth (0 if unset: the models' default).
func (s *Scenario) backlogBudget() int64 {
	if s.MaxBacklogMB <= 0 {
		return 0
	}
	return max(int64(s.MaxBacklogMB*(1<<20)), models.BytesPerQueued)
}
