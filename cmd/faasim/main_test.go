package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

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
		"one-vm.csv one-vm.latency.csv one-vm.timeseries.csv report.html results.json timeline.png timeline.svg"; got != want {
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
