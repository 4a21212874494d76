package sweep

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// A sweep split over machines (docs/distributed.md). Shard i of N runs
// the units u with u mod N = i and writes each run's states (the mergeable
// state: counts, exact sums, sketches, the model's summary); the merge
// reads every shard, opens the sweep again (nothing is simulated) and runs
// the one code path of Run with each run's states read from the shards
// instead of simulated. Run itself reads its states back from the same
// encoding, so a merge writes the bytes one machine writes.
//
// A unit is one (point, replication) run of the grid, and of find: best,
// whose values are all known before anything runs. The searches of find:
// min, max and root are adaptive (each value tried depends on the last
// results), so there a unit is one whole search: the goal's search at one
// point of the sweep's other axes.

// ShardFormat names the layout of a shard file; a reader of another
// layout refuses it.
const ShardFormat = "faasim-sweep-shard/1"

// Unit kinds.
const (
	UnitRuns     = "runs"
	UnitSearches = "searches"
)

// runKey names one run of a sweep: the point of the grid (for a goal, the
// point of the other axes its search is at), the goal's value there (for
// find: best, the value's index in within) and the replication.
type runKey struct {
	Point int
	Goal  bool
	Value float64
	Rep   int
}

func (k runKey) String() string {
	if k.Goal {
		return fmt.Sprintf("point %d, goal value %g, replication %d", k.Point, k.Value, k.Rep)
	}
	return fmt.Sprintf("point %d, replication %d", k.Point, k.Rep)
}

// source gives the states a run ended in.
type source interface {
	states(ctx context.Context, k runKey, sc *scenarios.Scenario, seed uint64) ([]reports.SystemState, error)
}

// simulator simulates each run, and keeps its encoded states when keep is
// set (a shard). The states it returns are read back from their encoding,
// as a merge reads them, so the two cannot differ.
type simulator struct {
	mu   sync.Mutex
	keep map[runKey][]byte
}

func (sm *simulator) states(ctx context.Context, k runKey, sc *scenarios.Scenario, seed uint64) ([]reports.SystemState, error) {
	// Jobs 1: the sweep's workers are the parallelism; a run inside one
	// simulates its systems one after the other.
	st, err := sc.RunStates(ctx, scenarios.RunOptions{Seed: &seed, Jobs: 1})
	if err != nil {
		return nil, err
	}
	b, err := reports.EncodeStates(st)
	if err != nil {
		return nil, fmt.Errorf("encoding the run's state: %w", err)
	}
	if sm.keep != nil {
		sm.mu.Lock()
		sm.keep[k] = b
		sm.mu.Unlock()
	}
	return decodeStates(b, len(sc.Systems))
}

func decodeStates(b []byte, systems int) ([]reports.SystemState, error) {
	st, err := reports.DecodeStates(b)
	if err != nil {
		return nil, err
	}
	if len(st) != systems {
		return nil, fmt.Errorf("%d system states for the scenario's %d systems", len(st), systems)
	}
	return st, nil
}

// Units says how the sweep is split: its unit kind and how many units
// the whole sweep has.
func (s *Sweep) Units() (kind string, n int) {
	if s.Goal == nil || s.Goal.values != nil {
		return UnitRuns, len(s.Points) * s.goalValues() * s.Replications
	}
	return UnitSearches, len(s.Points)
}

// goalValues is the number of values of find: best at each point (1
// without a goal).
func (s *Sweep) goalValues() int { return max(1, len(s.goalList())) }

func (s *Sweep) goalList() []any {
	if s.Goal == nil {
		return nil
	}
	return s.Goal.values
}

// unitKey is run unit u of a runs-split sweep: points slowest, then the
// goal's values (find: best), then replications.
func (s *Sweep) unitKey(u int) runKey {
	v, r := s.goalValues(), s.Replications
	k := runKey{Point: u / (v * r), Rep: u % r}
	if s.Goal != nil {
		k.Goal, k.Value = true, float64(u/r%v)
	}
	return k
}

// unitOf is the unit a run belongs to.
func (s *Sweep) unitOf(k runKey) int {
	if kind, _ := s.Units(); kind == UnitSearches {
		return k.Point
	}
	return (k.Point*s.goalValues()+int(k.Value))*s.Replications + k.Rep
}

// ShardHeader is the first line of a shard file: what sweep it is a part
// of, which part, and what its states need to be read.
type ShardHeader struct {
	Format   string `json:"format"`  // ShardFormat
	Version  string `json:"version"` // faasim's: a merge needs the same
	Shard    string `json:"shard"`   // "i/N"
	Index    int    `json:"index"`
	Count    int    `json:"count"`
	Scenario string `json:"scenario"`
	File     string `json:"file"`           // as faasim sweep was given it (sweep.json's file)
	Path     string `json:"path,omitempty"` // its absolute path where the shard ran
	// ScenarioSHA256 is the scenario file's; SweepSHA256 that of what the
	// sweep runs: the options below, its points, seeds and goal.
	ScenarioSHA256 string       `json:"scenario_sha256"`
	SweepSHA256    string       `json:"sweep_sha256"`
	Options        ShardOptions `json:"options"`
	Units          string       `json:"units"`      // UnitRuns or UnitSearches
	UnitCount      int          `json:"unit_count"` // in the whole sweep
	Runs           int          `json:"runs"`       // run records after the header
	// The latency sketches' index mapping (they are written without it).
	SketchMapping         string `json:"sketch_mapping"`
	SketchMappingEncoding string `json:"sketch_mapping_encoding"`
}

// ShardOptions are the command line's changes to the sweep, which the
// merge applies again to open the same sweep.
type ShardOptions struct {
	Sets         []string `json:"sets,omitempty"`
	Replications int      `json:"replications,omitempty"` // --replications; 0: the file's
	Seed         *uint64  `json:"seed,omitempty"`         // --seed
}

// ShardRun is one run's record: its key and the states of its systems, in
// scenario order (reports.SystemState's wire form).
type ShardRun struct {
	Unit        int             `json:"unit"`
	Point       int             `json:"point"`
	Value       *float64        `json:"value,omitempty"` // the goal's value (find: best: its index in within)
	Replication int             `json:"replication"`
	Seed        uint64          `json:"seed"`
	Systems     json.RawMessage `json:"systems"`
}

func (r *ShardRun) key() runKey {
	k := runKey{Point: r.Point, Rep: r.Replication}
	if r.Value != nil {
		k.Goal, k.Value = true, *r.Value
	}
	return k
}

// Shard is one shard's header and runs.
type Shard struct {
	Header ShardHeader
	Runs   []ShardRun
	File   string // where ReadShard read it
}

// ShardFileName is shard i of n's file in its output directory.
func ShardFileName(i, n int) string { return fmt.Sprintf("shard-%d-of-%d.jsonl", i, n) }

// Source is what the sweep was opened from (a file path, or an example's
// name), and its absolute path for a file.
func (s *Sweep) Source() (file, path string) {
	if name, ok := strings.CutPrefix(s.File, "embedded:"); ok {
		return s.File, name
	}
	abs, err := filepath.Abs(s.File)
	if err != nil {
		abs = ""
	}
	return s.File, abs
}

// header is the header of shard i of n, without its run count.
func (s *Sweep) header(i, n int) (ShardHeader, error) {
	text, err := s.doc.Text()
	if err != nil {
		return ShardHeader{}, fmt.Errorf("%s: %w", s.File, err)
	}
	sum := sha256.Sum256(text)
	kind, units := s.Units()
	name, enc := reports.SketchMapping()
	h := ShardHeader{Format: ShardFormat, Version: reports.Version, Shard: fmt.Sprintf("%d/%d", i, n), Index: i, Count: n,
		Scenario: s.Name, ScenarioSHA256: hex.EncodeToString(sum[:]), Units: kind, UnitCount: units,
		Options:       ShardOptions{Sets: s.opts.Sets, Replications: s.opts.Replications, Seed: s.opts.Seed},
		SketchMapping: name, SketchMappingEncoding: enc}
	h.File, h.Path = s.Source()
	if strings.HasPrefix(h.File, "embedded:") {
		h.Path = ""
	}
	h.SweepSHA256, err = s.digest(h)
	return h, err
}

// digest is the SHA-256 of what the sweep runs: the scenario's digest, the
// command line's options, the seeds, confidence, axes, every point's
// values, the goal and how the sweep is split into units.
func (s *Sweep) digest(h ShardHeader) (string, error) {
	var points []reports.Params
	for _, p := range s.Points {
		points = append(points, p.Params)
	}
	var goal *reports.GoalResult
	if s.Goal != nil {
		goal = s.Goal.result(nil)
	}
	var axes []reports.SweepAxis
	for _, a := range s.Axes {
		axes = append(axes, reports.SweepAxis{Key: a.Key, Values: a.Values, Zip: a.Zip})
	}
	b, err := json.Marshal(map[string]any{"format": h.Format, "scenario_sha256": h.ScenarioSHA256, "options": h.Options,
		"seed": s.Seed, "seeds": Seeds(s.Seed, s.Replications), "replications": s.Replications, "confidence": s.Confidence,
		"axes": axes, "points": points, "goal": goal, "units": h.Units, "unit_count": h.UnitCount})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// RunShard runs shard i of n: the units u with u mod n = i, every run of
// them simulated, and returns their states. Which runs a search of find:
// min, max or root needs is known only as it goes, so such a shard runs
// its searches whole.
func (s *Sweep) RunShard(ctx context.Context, i, n int) (*Shard, error) {
	if n < 1 || i < 0 || i >= n {
		return nil, fmt.Errorf("shard %d/%d: want 0 <= i < N", i, n)
	}
	h, err := s.header(i, n)
	if err != nil {
		return nil, err
	}
	sm := &simulator{keep: map[runKey][]byte{}}
	rn, ctx, cancel := s.newRunner(ctx, sm)
	defer cancel()
	jobs := cap(rn.sem)
	kind, units := s.Units()
	var mine []int
	for u := i; u < units; u += n {
		mine = append(mine, u)
	}
	if kind == UnitSearches {
		rn.total.Store(int64(len(mine) * s.Goal.estimate() * s.Replications))
		err = parallel(len(mine), jobs, func(j int) error {
			sr := &search{rn: rn, ctx: ctx, combo: s.Points[mine[j]], evals: map[float64]*judged{}}
			_, err := sr.answer()
			return err
		})
	} else {
		rn.total.Store(int64(len(mine)))
		// The runs of one point (and goal value) share its decoded scenario.
		type group struct {
			at   runKey
			reps []int
		}
		var groups []group
		for _, u := range mine {
			k := s.unitKey(u)
			at := k
			at.Rep = 0
			if len(groups) == 0 || groups[len(groups)-1].at != at {
				groups = append(groups, group{at: at})
			}
			groups[len(groups)-1].reps = append(groups[len(groups)-1].reps, k.Rep)
		}
		err = parallel(len(groups), jobs, func(j int) error {
			g := groups[j]
			sc, ps := s.Points[g.at.Point].scenario, s.Points[g.at.Point].Params
			if g.at.Goal {
				ps = append(slices.Clone(ps), reports.Param{Key: s.Goal.Spec.Vary, Value: s.Goal.values[int(g.at.Value)]})
				var err error
				if sc, err = s.decode(ps, "goal.within"); err != nil {
					return problems(err)
				}
			}
			if err := rn.checkBudget(sc, ps); err != nil {
				return err
			}
			return parallel(len(g.reps), 0, func(r int) error {
				k := g.at
				k.Rep = g.reps[r]
				_, err := rn.states(ctx, sc, ps, k)
				return err
			})
		})
	}
	if err != nil {
		return nil, err
	}
	sh := &Shard{Header: h}
	for k, b := range sm.keep {
		r := ShardRun{Unit: s.unitOf(k), Point: k.Point, Replication: k.Rep, Seed: rn.seeds[k.Rep], Systems: b}
		if k.Goal {
			v := k.Value
			r.Value = &v
		}
		sh.Runs = append(sh.Runs, r)
	}
	slices.SortFunc(sh.Runs, func(a, b ShardRun) int { return compareKeys(a.key(), b.key()) })
	sh.Header.Runs = len(sh.Runs)
	return sh, nil
}

func compareKeys(a, b runKey) int {
	return cmp.Or(cmp.Compare(a.Point, b.Point), cmp.Compare(a.Value, b.Value), cmp.Compare(a.Rep, b.Rep))
}

// Write writes the shard as JSON lines: the header, then one run a line,
// in key order (the bytes do not depend on --jobs).
func (sh *Shard) Write(w io.Writer) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sh.Header); err != nil {
		return err
	}
	for i := range sh.Runs {
		if err := enc.Encode(&sh.Runs[i]); err != nil {
			return err
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// ReadShard reads a shard file: its header and its runs, strictly
// (unknown keys are errors). It checks the file's own consistency; Merge
// checks it against the others.
func ReadShard(path string, r io.Reader) (*Shard, error) {
	bad := func(format string, args ...any) error {
		return scenarios.Problems{{File: path, Msg: fmt.Sprintf(format, args...)}}
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	sh := &Shard{File: path}
	if err := dec.Decode(&sh.Header); err != nil {
		return nil, bad("not a faasim sweep shard (its first line should be the shard header): %v", err)
	}
	h := &sh.Header
	if h.Format != ShardFormat {
		return nil, bad("format %q: want %q (a shard of another faasim, or not a shard)", h.Format, ShardFormat)
	}
	if h.Count < 1 || h.Index < 0 || h.Index >= h.Count || h.Shard != fmt.Sprintf("%d/%d", h.Index, h.Count) {
		return nil, bad("shard %q, index %d, count %d: want i/N with 0 <= i < N", h.Shard, h.Index, h.Count)
	}
	for dec.More() {
		var run ShardRun
		if err := dec.Decode(&run); err != nil {
			return nil, bad("run record %d: %v", len(sh.Runs)+1, err)
		}
		sh.Runs = append(sh.Runs, run)
	}
	if len(sh.Runs) != h.Runs {
		return nil, bad("%d run records, but its header says %d: the file is incomplete", len(sh.Runs), h.Runs)
	}
	return sh, nil
}

// ScenarioText is the scenario file's bytes (a recipe ships them to a
// cluster, as a Kubernetes ConfigMap).
func (s *Sweep) ScenarioText() ([]byte, error) { return s.doc.Text() }
