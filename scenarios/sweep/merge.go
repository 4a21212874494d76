package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// ShardFiles are the shard files among paths: a directory's
// shard-*-of-*.jsonl files (sorted), a file as it is. A directory without
// one is a problem, named.
func ShardFiles(paths []string) ([]string, error) {
	var files []string
	var probs scenarios.Problems
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		found, _ := filepath.Glob(filepath.Join(p, "shard-*-of-*.jsonl"))
		if len(found) == 0 {
			probs = append(probs, scenarios.Problem{File: p, Msg: "no shard files (shard-I-of-N.jsonl, written by faasim sweep --shard I/N --out " + p + ")"})
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return files, nil
}

// Merge reads the shards at paths (directories of shard files, or files),
// checks that they are the N shards of one sweep, each once and each
// whole, opens that sweep again (o's Jobs and Progress apply; the rest
// comes from the shards) and returns it and its sweep.json document,
// computed from the shards' runs by Run's own code. A missing, duplicated,
// incomplete or foreign shard is a problem that names it.
func Merge(ctx context.Context, paths []string, o Options) (*Sweep, *reports.Sweep, error) {
	files, err := ShardFiles(paths)
	if err != nil {
		return nil, nil, err
	}
	var shards []*Shard
	for _, f := range files {
		sh, err := readShardFile(f)
		if err != nil {
			return nil, nil, err
		}
		shards = append(shards, sh)
	}
	shards, err = checkShards(shards)
	if err != nil {
		return nil, nil, err
	}
	h := shards[0].Header
	s, err := reopen(h, o)
	if err != nil {
		return nil, nil, err
	}
	lk, err := s.index(shards)
	if err != nil {
		return nil, nil, err
	}
	out, err := s.run(ctx, lk)
	if err != nil {
		return nil, nil, err
	}
	if err := lk.unused(); err != nil {
		return nil, nil, err
	}
	return s, out, nil
}

func readShardFile(path string) (*Shard, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadShard(path, f)
}

// identity is what every shard of one sweep has in common, field by
// field, named as the header names them.
func identity(h ShardHeader) [][2]string {
	return [][2]string{{"format", h.Format}, {"version", h.Version}, {"file", h.File}, {"scenario_sha256", h.ScenarioSHA256},
		{"sweep_sha256", h.SweepSHA256}, {"count", fmt.Sprint(h.Count)}, {"units", h.Units}, {"unit_count", fmt.Sprint(h.UnitCount)},
		{"sketch_mapping_encoding", h.SketchMappingEncoding}}
}

func identityKey(h ShardHeader) string { return fmt.Sprint(identity(h)) }

// checkShards keeps the shards of the sweep most of them belong to, and
// reports every other (foreign), every index given twice and every index
// missing. The shards come back in index order.
func checkShards(shards []*Shard) ([]*Shard, error) {
	groups := map[string][]*Shard{}
	var order []string
	for _, sh := range shards {
		k := identityKey(sh.Header)
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], sh)
	}
	// The sweep is the one most files belong to (the first read on a tie).
	main := order[0]
	for _, k := range order {
		if len(groups[k]) > len(groups[main]) {
			main = k
		}
	}
	ref := groups[main][0]
	var probs scenarios.Problems
	for _, k := range order {
		if k == main {
			continue
		}
		for _, sh := range groups[k] {
			probs = append(probs, scenarios.Problem{File: sh.File, Msg: "a shard of another sweep: " + differs(sh, ref)})
		}
	}
	n := ref.Header.Count
	byIndex := make([][]*Shard, n)
	for _, sh := range groups[main] {
		byIndex[sh.Header.Index] = append(byIndex[sh.Header.Index], sh)
	}
	var kept []*Shard
	dir := filepath.Dir(ref.File)
	for i, got := range byIndex {
		switch len(got) {
		case 0:
			probs = append(probs, scenarios.Problem{File: filepath.Join(dir, ShardFileName(i, n)),
				Msg: fmt.Sprintf("shard %d/%d is missing; run it (faasim sweep %s --shard %d/%d --out DIR) and merge again",
					i, n, strings.TrimPrefix(ref.Header.File, "embedded:"), i, n)})
		case 1:
			kept = append(kept, got[0])
		default:
			var names []string
			for _, sh := range got {
				names = append(names, sh.File)
			}
			probs = append(probs, scenarios.Problem{File: got[1].File,
				Msg: fmt.Sprintf("shard %d/%d is given %d times (%s); every run must be merged exactly once", i, n, len(got), strings.Join(names, ", "))})
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return kept, nil
}

// differs says how a shard's header differs from the sweep's.
func differs(sh, ref *Shard) string {
	a, b := identity(sh.Header), identity(ref.Header)
	for i := range a {
		if a[i][1] != b[i][1] {
			why := map[string]string{
				"version":         "merge shards written by one faasim build",
				"scenario_sha256": "the scenario file changed between the shards' runs",
				"sweep_sha256":    "another --set, --replications or --seed, or another sweep",
				"count":           "split into another number of shards",
			}[a[i][0]]
			if why != "" {
				why = " (" + why + ")"
			}
			return fmt.Sprintf("its %s is %s, the others' (%s) %s%s", a[i][0], short(a[i][1]), ref.File, short(b[i][1]), why)
		}
	}
	return "its header differs"
}

func short(s string) string {
	if len(s) > 16 && !strings.ContainsAny(s, " /") {
		return s[:12] + "…"
	}
	return s
}

// reopen opens the sweep the shards ran, from its file (or example) with
// their options, and checks that it is the same: the scenario's and the
// sweep's SHA-256. Nothing is simulated.
func reopen(h ShardHeader, o Options) (*Sweep, error) {
	if h.Version != reports.Version {
		return nil, scenarios.Problems{{File: h.File, Msg: fmt.Sprintf(
			"the shards were written by faasim %s, this is faasim %s: merge with the build that ran them (its figures may differ)", h.Version, reports.Version)}}
	}
	o.Sets, o.Replications, o.Seed = h.Options.Sets, h.Options.Replications, h.Options.Seed
	// The file as given, relative to here, else where it was when the
	// shards ran; an example by its name.
	cands := []string{h.File}
	if name, ok := strings.CutPrefix(h.File, "embedded:"); ok {
		cands = []string{name}
	} else if h.Path != "" && h.Path != h.File {
		cands = append(cands, h.Path)
	}
	var tried []string
	for _, c := range cands {
		if !strings.HasPrefix(h.File, "embedded:") {
			if _, err := os.Stat(c); errors.Is(err, fs.ErrNotExist) {
				tried = append(tried, c+": no such file")
				continue
			}
		}
		doc, err := scenarios.ReadDocument(c)
		if err != nil {
			return nil, err
		}
		text, err := doc.Text()
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(text)
		if got := hex.EncodeToString(sum[:]); got != h.ScenarioSHA256 {
			tried = append(tried, fmt.Sprintf("%s has SHA-256 %s, the shards' scenario %s (it changed since they ran)", c, short(got), short(h.ScenarioSHA256)))
			continue
		}
		s, err := Prepare(doc, o)
		if err != nil {
			return nil, err
		}
		s.File = h.File // sweep.json names the file as the shards were given it
		want, err := s.header(h.Index, h.Count)
		if err != nil {
			return nil, err
		}
		if want.SweepSHA256 != h.SweepSHA256 || want.UnitCount != h.UnitCount || want.Units != h.Units {
			return nil, scenarios.Problems{{File: h.File, Msg: fmt.Sprintf(
				"the sweep opened again has SHA-256 %s (%d %s), the shards' %s (%d %s): the same file and options make another sweep with this faasim",
				short(want.SweepSHA256), want.UnitCount, want.Units, short(h.SweepSHA256), h.UnitCount, h.Units)}}
		}
		return s, nil
	}
	return nil, scenarios.Problems{{File: h.File, Msg: "the merge opens the shards' scenario again (it simulates nothing, but needs the sweep's points): " +
		strings.Join(tried, "; ")}}
}

// shardRuns are the shards' runs, by key: the source of a merge.
type shardRuns struct {
	s      *Sweep
	mu     sync.Mutex
	runs   map[runKey]*indexed
	shards []*Shard // by index
}

type indexed struct {
	run   *ShardRun
	shard *Shard
	used  bool
}

// index checks that each shard holds exactly its runs (a runs split: the
// units u mod N = i, each once; a searches split: runs of its searches
// only, each once) and indexes them.
func (s *Sweep) index(shards []*Shard) (*shardRuns, error) {
	lk := &shardRuns{s: s, runs: map[runKey]*indexed{}, shards: shards}
	kind, units := s.Units()
	n := len(shards)
	var probs scenarios.Problems
	for _, sh := range shards {
		i := sh.Header.Index
		bad := func(format string, args ...any) {
			probs = append(probs, scenarios.Problem{File: sh.File, Msg: fmt.Sprintf(format, args...)})
		}
		seen := map[int]int{}
		for j := range sh.Runs {
			r := &sh.Runs[j]
			k := r.key()
			switch {
			case r.Point < 0 || r.Point >= len(s.Points) || r.Replication < 0 || r.Replication >= s.Replications:
				bad("run record %d (%s) is outside the sweep's %d points × %d replications", j+1, k, len(s.Points), s.Replications)
				continue
			case k.Goal != (s.Goal != nil):
				bad("run record %d (%s): a goal value in a sweep without one, or none in a goal's", j+1, k)
				continue
			case s.unitOf(k) != r.Unit || r.Unit%n != i:
				bad("run record %d (%s) is unit %d, not one of shard %d/%d's", j+1, k, r.Unit, i, n)
				continue
			case r.Seed != Seeds(s.Seed, s.Replications)[r.Replication]:
				bad("run record %d (%s) has seed %d, not the sweep's seed of replication %d", j+1, k, r.Seed, r.Replication)
				continue
			}
			if prev, ok := lk.runs[k]; ok {
				bad("run %s is given twice (also in %s)", k, prev.shard.File)
				continue
			}
			lk.runs[k] = &indexed{run: r, shard: sh}
			seen[r.Unit]++
		}
		if kind != UnitRuns {
			continue
		}
		var lacking []string
		for u := i; u < units; u += n {
			if seen[u] == 0 {
				lacking = append(lacking, s.unitKey(u).String())
			}
		}
		if len(lacking) > 0 {
			bad("lacks %d of its %d runs (%s): the file is incomplete; run shard %d/%d again", len(lacking), (units-i+n-1)/n,
				strings.Join(firstFew(lacking), "; "), i, n)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return lk, nil
}

func firstFew(l []string) []string {
	if len(l) > 3 {
		return append(slices.Clone(l[:3]), fmt.Sprintf("and %d more", len(l)-3))
	}
	return l
}

func (lk *shardRuns) states(_ context.Context, k runKey, sc *scenarios.Scenario, seed uint64) ([]reports.SystemState, error) {
	lk.mu.Lock()
	x, ok := lk.runs[k]
	if ok {
		x.used = true
	}
	lk.mu.Unlock()
	if !ok {
		owner := lk.shards[lk.s.unitOf(k)%len(lk.shards)]
		return nil, scenarios.Problems{{File: owner.File, Msg: fmt.Sprintf(
			"lacks run %s, which the goal's search asks for: the file is incomplete, or its search went another way (another faasim?)", k)}}
	}
	st, err := decodeStates(x.run.Systems, len(sc.Systems))
	if err != nil {
		return nil, scenarios.Problems{{File: x.shard.File, Msg: fmt.Sprintf("run %s: %v", k, err)}}
	}
	return st, nil
}

// unused reports runs the merge never read: a search that went another
// way than in its shard.
func (lk *shardRuns) unused() error {
	var probs scenarios.Problems
	for _, sh := range lk.shards {
		var extra []string
		for j := range sh.Runs {
			if x := lk.runs[sh.Runs[j].key()]; x != nil && !x.used {
				extra = append(extra, x.run.key().String())
			}
		}
		if len(extra) > 0 {
			probs = append(probs, scenarios.Problem{File: sh.File, Msg: fmt.Sprintf(
				"has %d runs the merged sweep never asks for (%s): its searches went another way", len(extra), strings.Join(firstFew(extra), "; "))})
		}
	}
	if len(probs) > 0 {
		return probs
	}
	return nil
}
