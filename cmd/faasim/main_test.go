package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/faasim/faasim/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// faasim runs the CLI in-process.
func faasim(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return o.String(), e.String(), code
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/faasim -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./cmd/faasim -update after review):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestExamples runs every embedded example end to end; its table on stdout
// and its results.json are golden.
func TestExamples(t *testing.T) {
	names := scenarios.Examples()
	if len(names) < 3 {
		t.Fatalf("examples %v: want at least 3", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			stdout, stderr, code := faasim(t, "run", name, "--out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden(t, name+".table", []byte(stdout))
			js, err := os.ReadFile(filepath.Join(out, "results.json"))
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+".results.json", js)
			checkFigureLayout(t, out)
			page, err := os.ReadFile(filepath.Join(out, "report.html"))
			if err != nil {
				t.Fatal(err)
			}
			// report.html's table is the terminal's: the same rows, cells and marks.
			term, htm := terminalRows(stdout), htmlRows(t, page)
			if len(term) < 10 || !slices.EqualFunc(term, htm, slices.Equal[[]string]) {
				t.Errorf("the terminal table and report.html differ:\nterminal %q\nhtml     %q", term, htm)
			}
			// A warned system is never marked best without its warning beside it.
			warnedMarks(t, stdout, js)
			// The file on disk runs the same as the embedded copy.
			fromFile, _, code := faasim(t, "run", filepath.Join("..", "..", "scenarios", name+".yaml"), "--format", "json")
			if code != 0 {
				t.Fatalf("running the file: exit %d", code)
			}
			var re = regexp.MustCompile(`"file": "[^"]*",\n`)
			if re.ReplaceAllString(fromFile, "") != re.ReplaceAllString(string(js), "") {
				t.Error("scenarios/" + name + ".yaml and the embedded example differ")
			}
		})
	}
}

// TestDeterminism: same seed, same bytes, whatever --jobs; another seed, other figures.
func TestDeterminism(t *testing.T) {
	a, _, _ := faasim(t, "run", "latency-sensitive", "--format", "json", "--jobs", "1")
	b, _, _ := faasim(t, "run", "latency-sensitive", "--format", "json", "--jobs", "3")
	if a != b || a == "" {
		t.Fatal("results differ between --jobs 1 and --jobs 3")
	}
	c, _, _ := faasim(t, "run", "latency-sensitive", "--format", "json", "--seed", "2")
	if c == a {
		t.Fatal("--seed 2 gave the same results as the scenario's seed 1")
	}
	if !strings.Contains(c, `"seed": 2,`) {
		t.Error("--seed 2 not reported in results.json")
	}
}

// TestOutDir: --out writes results.json and one CSV per system, and no temporary files.
func TestOutDir(t *testing.T) {
	out := filepath.Join(t.TempDir(), "new", "dir")
	if _, stderr, code := faasim(t, "run", "webhook", "--out", out, "--format", "csv"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ents, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, " "), "cost_breakdown.png cost_breakdown.svg lambda.csv lambda.latency.csv lambda.timeseries.csv latency_cdf.png latency_cdf.svg "+
		"one-vm.csv one-vm.latency.csv one-vm.timeseries.csv report.html results.json timeline.png timeline.svg tradeoff.png tradeoff.svg"; got != want {
		t.Errorf("files %q, want %q", got, want)
	}
	csv, _ := os.ReadFile(filepath.Join(out, "lambda.csv"))
	if lines := strings.Count(string(csv), "\n"); lines != 2 {
		t.Errorf("lambda.csv has %d lines, want header + 1:\n%s", lines, csv)
	}
}

// TestBadInput: user mistakes exit 2 with a message that names the file and key.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string // substrings of stderr
	}{
		// A misspelt key is an error that names it and says what is allowed.
		{[]string{"run", "testdata/bad/unknown-key.yaml"}, []string{"unknown-key.yaml", "systems[0].max_concurency", "did you mean max_concurrency?"}},
		// Every problem of a file at once.
		{[]string{"validate", "testdata/bad/many-problems.yaml"}, []string{"duration", "workload.rate", "systems[0].platform", "aws-lambda-x86", "systems[1].instances"}},
		// A syntax error names the file.
		{[]string{"validate", "testdata/bad/bad-yaml.yaml"}, []string{"bad-yaml.yaml"}},
		// Neither a file nor an example: the examples are listed.
		{[]string{"run", "no-such-scenario"}, []string{"no-such-scenario", "steady-api"}},
		// Flags and arguments.
		{[]string{"run", "webhook", "--format", "xml"}, []string{"--format", "table, json or csv"}},
		{[]string{"run"}, []string{"wants a scenario file or example name"}},
		{[]string{"run", "webhook", "--seed", "abc"}, []string{"invalid argument"}},
		{[]string{"run", "webhook", "--no-such-flag"}, []string{"unknown flag"}},
		{[]string{"frobnicate"}, []string{"unknown command"}},
	} {
		_, stderr, code := faasim(t, tc.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2; stderr:\n%s", tc.args, code, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, stderr)
			}
		}
		if strings.Contains(stderr, "goroutine ") {
			t.Errorf("%v: a panic trace for a user mistake:\n%s", tc.args, stderr)
		}
	}
}

func TestValidateAndVersion(t *testing.T) {
	stdout, _, code := faasim(t, "validate", "steady-api")
	if code != 0 || !strings.HasPrefix(stdout, "ok: ") {
		t.Errorf("validate steady-api: exit %d, %q", code, stdout)
	}
	stdout, _, code = faasim(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "faasim ") {
		t.Errorf("version: exit %d, %q", code, stdout)
	}
	stdout, _, _ = faasim(t, "examples")
	if !strings.Contains(stdout, "webhook\n") {
		t.Errorf("examples: %q", stdout)
	}
}

// TestReadmeCommands runs the faasim commands of the README's first code
// block, so the README cannot drift from what works.
func TestReadmeCommands(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	block := strings.SplitN(string(b), "```", 3)[1]
	var ran int
	for _, line := range strings.Split(block, "\n") {
		cmd, _, _ := strings.Cut(line, "#")
		f := strings.Fields(cmd)
		if len(f) < 3 || f[0] != "go" || f[1] != "run" || f[2] != "./cmd/faasim" {
			continue
		}
		if _, stderr, code := faasim(t, f[3:]...); code != 0 {
			t.Errorf("README command %q: exit %d: %s", cmd, code, stderr)
		}
		ran++
	}
	if ran == 0 {
		t.Fatal("no `go run ./cmd/faasim ...` command in the README's first code block")
	}
	// The output the README shows is the current golden output.
	if golden, err := os.ReadFile("testdata/steady-api.table"); err != nil || !strings.Contains(string(b), string(golden)) {
		t.Error("the README's sample output is not testdata/steady-api.table: paste the current one")
	}
	if !strings.Contains(block, "go test ./...") {
		t.Error("the README's first code block lacks the test command go test ./...")
	}
}

// TestPlatforms: the list and one preset in full are golden; an unknown
// name is an error that lists the known ones.
func TestPlatforms(t *testing.T) {
	stdout, _, code := faasim(t, "platforms")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	golden(t, "platforms.golden", []byte(stdout))
	stdout, _, code = faasim(t, "platforms", "aws-lambda-x86")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	golden(t, "platforms-aws-lambda-x86.golden", []byte(stdout))
	_, stderr, code := faasim(t, "platforms", "aws-lambda-arm64-nope")
	if code != 2 || !strings.Contains(stderr, "known: aws-alb, ") || !strings.Contains(stderr, "aws-ec2-c6g.large") || !strings.Contains(stderr, "aws-lambda-x86") {
		t.Errorf("unknown platform: exit %d, %s", code, stderr)
	}
}

// TestSet: --set overrides a scenario key on run, validate and workload
// preview, is recorded in the results, and a bad value is bad input that
// names the key path and the --set.
func TestSet(t *testing.T) {
	base, _, _ := faasim(t, "run", "quickstart", "--format", "json")
	out := t.TempDir()
	got, stderr, code := faasim(t, "run", "quickstart", "--format", "json", "--out", out,
		"--set", "workload.rate=0.5", "--set", "systems[lambda].keep_alive={policy: fixed, idle: 5m}")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a, b struct {
		Overrides []struct {
			Key   string
			Value any
		}
		Systems []struct{ Requests int64 }
	}
	json.Unmarshal([]byte(base), &a)
	json.Unmarshal([]byte(got), &b)
	// 5 requests/s for 55 min is about 16,500; 0.5/s about 1,650.
	if ra, rb := a.Systems[0].Requests, b.Systems[0].Requests; ra < 15000 || rb > 2000 || rb < 1300 {
		t.Errorf("requests %d without --set, %d with workload.rate=0.5", ra, rb)
	}
	if len(b.Overrides) != 2 || b.Overrides[0].Key != "workload.rate" || b.Overrides[0].Value != 0.5 || b.Overrides[1].Key != "systems[lambda].keep_alive" {
		t.Errorf("overrides in results.json: %+v", b.Overrides)
	}
	table, _, _ := faasim(t, "run", "quickstart", "--set", "workload.rate=0.5")
	if !strings.Contains(strings.SplitN(table, "\n", 2)[0], "| --set workload.rate=0.5") {
		t.Errorf("the table's provenance line does not show the override:\n%s", table)
	}
	if stdout, _, code := faasim(t, "validate", "quickstart", "--set", "systems[two-vms].instances=3"); code != 0 || !strings.HasPrefix(stdout, "ok: ") {
		t.Errorf("validate with a good --set: exit %d, %s", code, stdout)
	}
	p1, _, _ := faasim(t, "workload", "preview", "quickstart")
	p2, _, code := faasim(t, "workload", "preview", "quickstart", "--set", "workload.rate=0.5")
	if code != 0 || p1 == p2 || !strings.Contains(p2, "arrivals in 1h0m0s") {
		t.Errorf("preview with --set: exit %d\n%s", code, p2)
	}

	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"validate", "quickstart", "--set", "workload.rate=-1"}, []string{"workload.rate", "want a number > 0", "(from --set workload.rate=-1)"}},
		{[]string{"run", "quickstart", "--set", "systems[lambda].memory_mb=99999"}, []string{"systems[0].memory_mb", "(from --set systems[lambda].memory_mb=99999)"}},
		{[]string{"workload", "preview", "quickstart", "--set", "workload.type=bursty"}, []string{"workload.type", `"bursty"`, "--set"}},
		{[]string{"run", "quickstart", "--set", "systems[nope].instances=1"}, []string{`no element named "nope"`, "lambda, two-vms"}},
		{[]string{"run", "quickstart", "--set", "workload.rate"}, []string{"--set", "want KEY=VALUE"}},
		{[]string{"validate", "quickstart", "--set", "workload={type: ["}, []string{"--set", "not YAML"}},
	} {
		dir := t.TempDir()
		args := append(tc.args, "--out", dir)
		if tc.args[0] != "run" {
			args = tc.args
		}
		_, stderr, code := faasim(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", tc.args, code, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, stderr)
			}
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("%v: wrote %d files for bad input", tc.args, len(ents))
		}
	}
}

// terminalRows are the rows of a comparison table as printed (label, then
// each cell with its mark), header excluded.
func terminalRows(table string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(table, "\n") {
		if !strings.HasPrefix(line, "│") {
			continue
		}
		var row []string
		for _, c := range strings.Split(strings.Trim(line, "│"), "│") {
			row = append(row, strings.TrimSpace(c))
		}
		rows = append(rows, row)
	}
	if len(rows) > 0 {
		rows = rows[1:] // the header
	}
	return rows
}

// htmlRows are the rows of report.html's comparison table, each cell's
// text with " *" where it is marked best, as the terminal prints it.
func htmlRows(t *testing.T, page []byte) [][]string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	var text func(n *html.Node) string
	text = func(n *html.Node) string {
		if n.Type == html.TextNode {
			return n.Data
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(text(c))
		}
		return b.String()
	}
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode && n.Data == "table" {
			for _, a := range n.Attr {
				in = in || a.Key == "id" && a.Val == "comparison"
			}
		}
		if in && n.Type == html.ElementNode && n.Data == "tr" {
			var row []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.ElementNode || c.Data != "td" {
					continue
				}
				cell := strings.TrimSpace(text(c))
				for _, a := range c.Attr {
					if a.Key == "class" && strings.Contains(a.Val, "best") {
						// The mark goes before a footnote, as the terminal prints it.
						if i := strings.LastIndex(cell, " ["); i >= 0 && strings.HasSuffix(cell, "]") {
							cell = cell[:i] + " *" + cell[i:]
						} else {
							cell += " *"
						}
					}
				}
				row = append(row, cell)
			}
			if row != nil {
				rows = append(rows, row)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, false)
	return rows
}

// TestSLOMet: with an slo:, each system's slo_met says whether every
// constraint holds (spiky-api: the capped Lambda rejects 0.42% and the
// baseline fleet times out a third, both above 0.1%; Lambda and the peak
// fleet keep p99 under 500 ms); a bad constraint is bad input at slo[i].
func TestSLOMet(t *testing.T) {
	slo := `slo=["latency_ms.p99 < 500", "rejected_ratio + timed_out_ratio <= 0.001"]`
	stdout, stderr, code := faasim(t, "run", "spiky-api", "--format", "json", "--set", slo)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		SLO     []string
		Systems []struct {
			Name   string
			SLOMet *bool `json:"slo_met"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"lambda": true, "lambda-capped": false, "fleet-baseline": false, "fleet-peak": true}
	for _, s := range res.Systems {
		if s.SLOMet == nil || *s.SLOMet != want[s.Name] {
			t.Errorf("%s: slo_met %v, want %v", s.Name, s.SLOMet, want[s.Name])
		}
	}
	if len(res.SLO) != 2 || res.SLO[1] != "rejected_ratio + timed_out_ratio <= 0.001" {
		t.Errorf("slo in results.json: %q", res.SLO)
	}
	stdout, _, _ = faasim(t, "run", "spiky-api", "--format", "json", "--set", "slo=null")
	if strings.Contains(stdout, "slo_met") {
		t.Error("slo_met without an slo")
	}
	_, stderr, code = faasim(t, "validate", "spiky-api", "--set", `slo=["latency_ms.p99 < 500", "latency_ms.p98 < 1"]`)
	if code != 2 || !strings.Contains(stderr, "slo[1]") || !strings.Contains(stderr, "latency_ms.p98: unknown metric") {
		t.Errorf("bad constraint: exit %d, %s", code, stderr)
	}
}

// TestOverloadMean: one worker, 1 s of work per request, 2 arrivals/s for
// 100 h. The worker serves one request a second without a break, so the
// k-th request (from 0) waits behind k others: latency 1 + k/2 s, and the
// mean over the n completed is 1 + (n-1)/4 s, about 90,000 s. Its latencies
// sum to 3.2e19 ns, past int64 (9.2e18): an int64 sum printed a negative
// mean. The backlog grows by 1 request a second: saturated, unfinished.
func TestOverloadMean(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "overload.yaml")
	os.WriteFile(path, []byte(`name: overload
duration: 100h
workload: {type: constant, rate: 2}
functions: [{name: work, exec: {dist: constant, value: 1s}}]
systems:
  - {name: one-worker, type: server, price_per_hour: 0.1, instances: 1, workers_per_instance: 1}
  - {name: two-workers, type: server, price_per_hour: 0.1, instances: 1, workers_per_instance: 2}
`), 0o644)
	stdout, stderr, code := faasim(t, "run", path, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		Systems []struct {
			Name      string
			Completed int64
			InFlight  int64                       `json:"in_flight"`
			Latency   struct{ Mean, Max float64 } `json:"latency_ms"`
			Warnings  []struct{ Code, Message string }
		}
		Warnings []struct{ Code string }
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	s := res.Systems[0]
	want := 1 + float64(s.Completed-1)/4 // seconds
	if got := s.Latency.Mean / 1000; math.Abs(got-want) > 1e-6*want || math.Abs(got-90_000) > 2 || s.Completed < 359_999 {
		t.Errorf("mean latency %.3f s over %d completed, want %.3f s (about 90,000)", got, s.Completed, want)
	}
	var codes []string
	for _, w := range s.Warnings {
		codes = append(codes, w.Code)
	}
	if strings.Join(codes, " ") != "saturated unfinished" {
		t.Errorf("warnings %v, want saturated and unfinished", s.Warnings)
	}
	// Two workers keep up exactly (utilisation 1, constant times): no backlog.
	if b := res.Systems[1]; len(b.Warnings) != 0 || b.Latency.Mean != 1000 {
		t.Errorf("two workers: mean %v ms, warnings %v; want 1000 ms and none", b.Latency.Mean, b.Warnings)
	}
	table, _, _ := faasim(t, "run", path)
	if !strings.Contains(table, "[1] one-worker saturated: arrivals outpace service") || !strings.Contains(table, "verdict: two-workers") {
		t.Errorf("table:\n%s", table)
	}
}
