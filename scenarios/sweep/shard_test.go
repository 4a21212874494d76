package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// Small sweeps of each kind of split: a grid (every (point, replication)
// run a unit), find: best (every value known up front: runs too) and
// find: min (adaptive: a unit is a whole search). Two systems, two
// functions (per-function tallies and bills), cold starts, a queue.
const shardBase = `name: shards
duration: 40s
warmup: 5s
functions:
  - {name: api, memory_mb: 512, exec: {dist: lognormal, median: 40ms, p99: 300ms}, workload: {type: poisson, rate: 20}}
  - {name: batch, memory_mb: 1024, exec: {dist: exponential, mean: 150ms}, workload: {type: poisson, rate: 5}}
systems:
  - name: lambda
    type: faas
    platform: aws-lambda-x86
    keep_alive: {policy: fixed, idle: 10s}
  - name: vms
    type: server
    instances: 2
    workers_per_instance: 2
    price_per_hour: 0.1
`

var shardSweeps = map[string]string{
	"grid": shardBase + `sweep:
  replications: 3
  axes:
    functions[api].workload.rate: [10, 30]
    systems[vms].instances: [1, 3]
    systems[lambda].keep_alive: [{policy: fixed, idle: 2s}, {policy: none}]
`,
	"best": shardBase + `sweep:
  replications: 2
  axes:
    functions[api].workload.rate: [10, 30]
goal:
  find: best
  vary: systems[vms].instances
  within: [1, 2, 4]
  minimize: vms.cost_usd.total + 1000 * vms.latency_ms.p99
`,
	"min": shardBase + `sweep:
  replications: 2
  axes:
    functions[api].workload.rate: [10, 30]
goal:
  find: min
  vary: systems[vms].instances
  within: {from: 1, to: 12}
  subject_to: [vms.latency_ms.p99 < 900]
`,
}

// writeScenario writes text to a scenario file in a new directory.
func writeScenario(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runShard runs shard i of n of the sweep at path into dir.
func runShard(t *testing.T, path string, i, n int, dir string, o Options) string {
	t.Helper()
	s, err := Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := s.RunShard(context.Background(), i, n)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := sh.Write(&b); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, ShardFileName(i, n))
	if err := os.WriteFile(f, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// runShards runs shards 0..n-1 of the sweep at path, each into dir.
func runShards(t *testing.T, path string, n int, dir string, o Options) []string {
	t.Helper()
	var files []string
	for i := range n {
		files = append(files, runShard(t, path, i, n, dir, o))
	}
	return files
}

func outputs(t *testing.T, res *reports.Sweep) (string, string) {
	t.Helper()
	var j, c bytes.Buffer
	if err := reports.WriteSweepJSON(&j, res); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteSweepCSV(&c, res); err != nil {
		t.Fatal(err)
	}
	return j.String(), c.String()
}

// TestMergeByteIdentical: 1, 2, 3 and 7 shards of a grid, of find: best
// and of find: min merge into sweep.json and sweep.csv byte for byte the
// unsharded run's, with the shard files given in any order (and from
// several directories); each run is in exactly one shard.
func TestMergeByteIdentical(t *testing.T) {
	for name, text := range shardSweeps {
		t.Run(name, func(t *testing.T) {
			path := writeScenario(t, text)
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			whole, err := s.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			wantJSON, wantCSV := outputs(t, whole)
			if name == "min" && (whole.Goal == nil || !whole.Goal.Met || len(whole.Goal.Answers) != 2) {
				t.Fatalf("the goal should be met at both rates: %+v", whole.Goal)
			}
			kind, units := s.Units()
			for _, n := range []int{1, 2, 3, 7} {
				t.Run(fmt.Sprint(n), func(t *testing.T) {
					dirs := []string{t.TempDir(), t.TempDir()}
					var files []string
					runs := 0
					for i := range n {
						// Shards land in two directories, as from two machines.
						f := runShard(t, path, i, n, dirs[i%2], Options{Jobs: 1 + i%2})
						files = append(files, f)
						sh, err := readShardFile(f)
						if err != nil {
							t.Fatal(err)
						}
						runs += len(sh.Runs)
						if kind == UnitRuns && len(sh.Runs) != (units-i+n-1)/n {
							t.Errorf("shard %d/%d has %d runs, want %d", i, n, len(sh.Runs), (units-i+n-1)/n)
						}
					}
					if kind == UnitRuns && runs != units {
						t.Errorf("the shards hold %d runs, the sweep has %d", runs, units)
					}
					r := rand.New(rand.NewPCG(uint64(n), 7))
					for try, order := range [][]string{files, reversed(files), shuffled(files, r)} {
						_, got, err := Merge(context.Background(), order, Options{Jobs: 2})
						if err != nil {
							t.Fatal(err)
						}
						gotJSON, gotCSV := outputs(t, got)
						if gotJSON != wantJSON {
							t.Fatalf("order %d: merged sweep.json differs from the unsharded one:\n%s", try, firstDiff(wantJSON, gotJSON))
						}
						if gotCSV != wantCSV {
							t.Fatalf("order %d: merged sweep.csv differs:\n%s", try, firstDiff(wantCSV, gotCSV))
						}
					}
					// Directories, as the CLI is given them.
					_, got, err := Merge(context.Background(), dirs[:min(n, 2)], Options{})
					if err != nil {
						t.Fatal(err)
					}
					if j, _ := outputs(t, got); j != wantJSON {
						t.Fatal("merging the directories differs from the unsharded sweep.json")
					}
				})
			}
		})
	}
}

func reversed(l []string) []string {
	out := make([]string, len(l))
	for i, v := range l {
		out[len(l)-1-i] = v
	}
	return out
}

func shuffled(l []string, r *rand.Rand) []string {
	out := append([]string(nil), l...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// firstDiff shows where two texts part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return fmt.Sprintf("at byte %d:\nwant …%s\ngot  …%s", i, a[lo:min(len(a), i+200)], b[lo:min(len(b), i+200)])
}

// TestMergeRefused: a missing, duplicated, foreign, incomplete or
// tampered shard, a changed scenario and another faasim are bad input
// (scenarios.Problems: exit 2) naming the shard or file.
func TestMergeRefused(t *testing.T) {
	path := writeScenario(t, shardSweeps["grid"])
	dir := t.TempDir()
	files := runShards(t, path, 3, dir, Options{})
	other := runShards(t, path, 3, t.TempDir(), Options{Sets: []string{"functions[batch].workload.rate=6"}})
	dup := filepath.Join(t.TempDir(), filepath.Base(files[1]))
	copyFile(t, files[1], dup)
	edited := func(f string, edit func(lines []string) []string) string {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		p := filepath.Join(t.TempDir(), filepath.Base(f))
		if err := os.WriteFile(p, []byte(strings.Join(edit(lines), "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	header := func(lines []string, from, to string) []string {
		if !strings.Contains(lines[0], from) {
			t.Fatalf("header %s has no %s", lines[0], from)
		}
		lines[0] = strings.Replace(lines[0], from, to, 1)
		return lines
	}
	truncated := edited(files[2], func(l []string) []string { return l[:len(l)-1] })
	lacking := edited(files[2], func(l []string) []string {
		return header(l[:len(l)-1], fmt.Sprintf(`"runs":%d`, len(l)-1), fmt.Sprintf(`"runs":%d`, len(l)-2))
	})
	moved := edited(files[0], func(l []string) []string {
		return header(header(l, `"index":0`, `"index":2`), `"shard":"0/3"`, `"shard":"2/3"`)
	})
	version := edited(files[0], func(l []string) []string { return header(l, `"version":"`, `"version":"9.9.9-`) })
	garbage := edited(files[1], func(l []string) []string { return append(l, `{"unit": "x"}`) })
	for _, c := range []struct {
		name  string
		files []string
		want  []string // in the message
	}{
		{"missing", files[:2], []string{ShardFileName(2, 3), "shard 2/3 is missing", "--shard 2/3"}},
		{"duplicated", append(append([]string{}, files...), dup), []string{"shard 1/3 is given 2 times", dup}},
		{"foreign", []string{files[0], files[1], files[2], other[1]}, []string{other[1], "another sweep", "sweep_sha256", "--set"}},
		{"all foreign but one", []string{files[0], other[1], other[2]}, []string{files[0], "another sweep"}},
		{"truncated", []string{files[0], files[1], truncated}, []string{truncated, "header says", "incomplete"}},
		{"lacking a run", []string{files[0], files[1], lacking}, []string{lacking, "lacks 1 of its", "run shard 2/3 again"}},
		{"index changed", []string{moved, files[1], files[2]}, []string{"shard 0/3 is missing", "shard 2/3 is given 2 times"}},
		{"another faasim", []string{version, files[1], files[2]}, []string{version, "its version is 9.9.9-"}},
		{"damaged record", []string{files[0], garbage, files[2]}, []string{garbage, "run record"}},
		{"no shards in a directory", []string{t.TempDir()}, []string{"no shard files"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Merge(context.Background(), c.files, Options{})
			var probs scenarios.Problems
			if !errors.As(err, &probs) {
				t.Fatalf("want problems (exit 2), got %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the error does not say %q:\n%v", w, err)
				}
			}
		})
	}
	t.Run("scenario changed", func(t *testing.T) {
		if err := os.WriteFile(path, []byte(shardSweeps["grid"]+"# edited\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := Merge(context.Background(), files, Options{})
		var probs scenarios.Problems
		if !errors.As(err, &probs) || !strings.Contains(err.Error(), "changed since they ran") {
			t.Fatalf("want the changed scenario named, got %v", err)
		}
	})
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
