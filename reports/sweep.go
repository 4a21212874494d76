package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Sweep is the document behind sweep.json: every metric of every system at
// every point of a sweep, over its replications, and a goal's answer.
// Keys of the public contract ("Sweeps and goals") are stable; the others
// are additions. Each point keeps its replications' own values, so shards
// of a sweep merge into exactly these bytes.
type Sweep struct {
	Scenario     string  `json:"scenario"`
	File         string  `json:"file,omitempty"`
	Seed         uint64  `json:"seed"`
	Replications int     `json:"replications"`
	Confidence   float64 `json:"confidence"`
	// Seeds[r] is the seed of replication r at every point (common random
	// numbers): `faasim run --seed Seeds[r]` with a point's --set values
	// reproduces that run.
	Seeds   []uint64 `json:"seeds"`
	Version string   `json:"version"`
	// Overrides are the --set values every point has (axes given with
	// --set are axes), in the order applied.
	Overrides []Override `json:"overrides,omitempty"`
	// SLO is the base scenario's slo: as written: what each system's
	// slo_met metric and slo warnings judge, and the line the figures draw.
	SLO []string `json:"slo,omitempty"`
	// Metrics are what the sweep is about, SYSTEM.PATH: its sweep.metrics,
	// else those its goal reads, else every system's p99 and total cost.
	// They are the table's default columns and what its figures plot; a
	// --metrics choice changes the table only.
	Metrics  []string     `json:"metrics,omitempty"`
	Axes     []SweepAxis  `json:"axes"`
	Points   []SweepPoint `json:"points"`
	Goal     *GoalResult  `json:"goal,omitempty"`
	Warnings []Warning    `json:"warnings"`
}

// SweepAxis is one key the sweep varies and the values it took.
type SweepAxis struct {
	Key    string `json:"key"`
	Values []any  `json:"values"`
	Zip    int    `json:"zip,omitempty"`  // axes with the same zip number (from 1) advance together
	Goal   bool   `json:"goal,omitempty"` // the goal's vary: the values its search tried, sorted
	// Labels name the values, in their order, in the table, benchmark
	// names and sentences: the scenario's ({label: L, value: V}) or made
	// from what tells sub-objects apart (AutoLabels). Absent when every
	// value is a number or a string without a label: it is its own.
	Labels []string `json:"labels,omitempty"`
}

// SweepPoint is one point: the values of the axes there and each system's
// metrics.
type SweepPoint struct {
	Index   int           `json:"index"`
	Params  Params        `json:"params"`
	Systems []SweepSystem `json:"systems"`
}

// SweepSystem is one system's metrics at a point, keyed by their path in
// the system's results.json object, in that object's order.
type SweepSystem struct {
	Name    string       `json:"name"`
	Type    string       `json:"type"`
	Metrics SweepMetrics `json:"metrics"`
	// Warnings are the runs' warnings (results.json's), each once, with
	// the number of replications that had it.
	Warnings []Warning `json:"warnings"`
}

// Metric looks up a metric by path.
func (s *SweepSystem) Metric(path string) (Estimate, bool) {
	for _, m := range s.Metrics {
		if m.Path == path {
			return m.Estimate, true
		}
	}
	return Estimate{}, false
}

// System looks up a system of the point by name.
func (p *SweepPoint) System(name string) *SweepSystem {
	for i := range p.Systems {
		if p.Systems[i].Name == name {
			return &p.Systems[i]
		}
	}
	return nil
}

// Param is one axis value of a point.
type Param struct {
	Key   string
	Value any // a number, a string, or a sub-object as the scenario writes it
}

// Params are a point's axis values, in axis order; JSON writes them as an
// object in that order.
type Params []Param

// Get returns the value of key, if the point sets it.
func (ps Params) Get(key string) (any, bool) {
	for _, p := range ps {
		if p.Key == key {
			return p.Value, true
		}
	}
	return nil, false
}

// SweepMetric is one figure of a system at a point.
type SweepMetric struct {
	Path string
	Estimate
}

// SweepMetrics are written as one JSON object, in order.
type SweepMetrics []SweepMetric

func (ps Params) MarshalJSON() ([]byte, error) {
	return orderedObject(len(ps), func(i int) (string, any) { return ps[i].Key, ps[i].Value })
}

func (ms SweepMetrics) MarshalJSON() ([]byte, error) {
	return orderedObject(len(ms), func(i int) (string, any) { return ms[i].Path, ms[i].Estimate })
}

func (ps *Params) UnmarshalJSON(b []byte) error {
	*ps = nil
	return readOrderedObject(b, func(k string, raw json.RawMessage) error {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		*ps = append(*ps, Param{Key: k, Value: v})
		return nil
	})
}

func (ms *SweepMetrics) UnmarshalJSON(b []byte) error {
	*ms = nil
	return readOrderedObject(b, func(k string, raw json.RawMessage) error {
		var e Estimate
		if err := json.Unmarshal(raw, &e); err != nil {
			return err
		}
		*ms = append(*ms, SweepMetric{Path: k, Estimate: e})
		return nil
	})
}

func orderedObject(n int, kv func(i int) (string, any)) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range n {
		k, v := kv(i)
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func readOrderedObject(b []byte, each func(k string, raw json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("want a JSON object, found %v", t)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		k, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if err := each(k, raw); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}

// GoalResult is a goal as asked and its answers: one per point of the
// sweep's other axes, or one alone. With one answer, its Answer, Met and
// Evidence are also the object's own (the contract's keys), so a reader of
// a plain goal needs nothing else.
type GoalResult struct {
	Find      string   `json:"find"`
	Vary      string   `json:"vary"`
	Within    Within   `json:"within"`
	SubjectTo []string `json:"subject_to,omitempty"`
	Expr      string   `json:"expr,omitempty"`
	Minimize  string   `json:"minimize,omitempty"`
	Strategy  string   `json:"strategy,omitempty"`
	Tolerance float64  `json:"tolerance,omitempty"`
	// Answer is the one answer's value: null when it is not met, or when
	// there are several answers.
	Answer   any            `json:"answer"`
	Met      bool           `json:"met"` // every answer is met
	Evidence []GoalEvidence `json:"evidence,omitempty"`
	Answers  []GoalAnswer   `json:"answers"`
	// Sentence is the goal's answer in one sentence: the one answer's own,
	// or with several, each answer's value at its point of the other axes,
	// and how many were met (each answer's evidence is in its own).
	Sentence string `json:"sentence"`
}

// Within is where a goal searched: a range, or values to scan.
type Within struct {
	// From and To are a range's ends as the scenario takes them: numbers,
	// or durations ("1m", "2h") for a key that takes a duration.
	From   any    `json:"from,omitempty"`
	To     any    `json:"to,omitempty"`
	Scale  string `json:"scale,omitempty"`
	Values []any  `json:"values,omitempty"`
}

// GoalAnswer is the answer for one point of the other axes.
type GoalAnswer struct {
	Params Params `json:"params,omitempty"` // the other axes' values; absent without other axes
	// Answer is the value of vary found (a number, or for find: best over
	// listed values, the value as written); null when the goal is not met.
	Answer any  `json:"answer"`
	Met    bool `json:"met"`
	// Method says how it was found: "bisection", "scan", or "scan
	// (not monotone)" when the search saw the constraints change more
	// than once and fell back to scanning.
	Method   string `json:"method"`
	Monotone bool   `json:"monotone"`
	// Evidence are the points that decide the answer: the answer and its
	// neighbour that fails, or the closest point when unmet, or the best
	// and the runner-up.
	Evidence []GoalEvidence `json:"evidence"`
	Probes   []any          `json:"probes"` // every value evaluated, in the order the search tried them
	// Strategies: for find: best with a strategy, what each Power Tuning
	// strategy picks.
	Strategies map[string]any `json:"strategies,omitempty"`
	Sentence   string         `json:"sentence"`
	// Warnings are the warnings of the systems the goal reads at the
	// answer, "SYSTEM CODE" each, as the sentence ends with them; absent
	// without any (and when the goal is not met).
	Warnings []string `json:"warnings,omitempty"`
}

// GoalEvidence is one evaluated value of vary and why it meets or fails.
type GoalEvidence struct {
	Value     any         `json:"value"`
	Met       bool        `json:"met"`
	Role      string      `json:"role"` // answer | neighbour | closest | runner-up | bracket
	Checks    []GoalCheck `json:"checks,omitempty"`
	Expr      *Estimate   `json:"expr,omitempty"`      // root: the expression there
	Objective *Estimate   `json:"objective,omitempty"` // best: the objective there
}

// GoalCheck is one constraint at one value: its margin (how far it holds,
// in the metrics' units: right − left for < and <=, left − right for > and
// >=) over the replications, and the verdict on the margin's pessimistic
// bound.
type GoalCheck struct {
	Constraint string   `json:"constraint"`
	Margin     Estimate `json:"margin"`
	// Bound is the margin's lower confidence bound (its value with one
	// replication): the constraint is met when it is > 0 (>= 0 for <=, >=).
	Bound float64 `json:"bound"`
	Met   bool    `json:"met"`
	// Metrics are the figures the constraint reads, at this point.
	Metrics SweepMetrics `json:"metrics"`
	// Missing: some replications lack a figure the constraint reads
	// (latencies when nothing completed); then it is not met.
	Missing string `json:"missing,omitempty"`
	// Stopped: a system the constraint reads was stopped by its backlog
	// budget in some replications (its figures cover part of the run);
	// then it is not met.
	Stopped string `json:"stopped,omitempty"`
}

// ParamLabel writes an axis value briefly, for tables and benchmark names:
// a number or string as is, a sub-object as its policy (or type, or dist)
// then its other keys sorted, "fixed idle=5m".
func ParamLabel(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		var head, headKey string
		for _, k := range []string{"policy", "type", "dist"} {
			if s, ok := v[k].(string); ok {
				head, headKey = s, k
				break
			}
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			if k != headKey {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		parts := []string{}
		if head != "" {
			parts = append(parts, head)
		}
		for _, k := range keys {
			parts = append(parts, k+"="+ParamLabel(v[k]))
		}
		return strings.Join(parts, " ")
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = ParamLabel(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case float64:
		return formatFloat(v)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
