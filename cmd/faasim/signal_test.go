package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets a test run this binary as the faasim command itself
// (FAASIM_TEST_MAIN=1), to send it real signals.
func TestMain(m *testing.M) {
	if os.Getenv("FAASIM_TEST_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// long is a scenario that takes many seconds to simulate.
func long(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "long.yaml")
	os.WriteFile(path, []byte(`name: long
duration: 20000h
report: {interval: 1h}
workload: {type: constant, rate: 2}
functions: [{name: work, exec: {dist: constant, value: 100ms}}]
systems:
  - {name: a, type: server, price_per_hour: 0.1, instances: 1}
  - {name: b, type: server, price_per_hour: 0.1, instances: 2}
`), 0o644)
	return path
}

// TestInterrupt: SIGINT stops a run within a second, exits 130, and leaves
// no output directory behind.
func TestInterrupt(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(os.Args[0], "run", long(t), "--out", out)
	cmd.Env = append(os.Environ(), "FAASIM_TEST_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond) // well into the simulation
	sent := time.Now()
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130; stderr %s", err, stderr.String())
	}
	if d := time.Since(sent); d > 2*time.Second {
		t.Errorf("stopped %v after SIGINT, want within a second or two", d)
	}
	if !strings.Contains(stderr.String(), "interrupted") || strings.Contains(stderr.String(), "goroutine ") {
		t.Errorf("stderr %q", stderr.String())
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--out %s left behind (%v)", out, err)
	}
}

// TestCancelKeepsEarlierOutput: a cancelled run into a directory that holds
// an earlier run's files leaves them as they were, with nothing added.
func TestCancelKeepsEarlierOutput(t *testing.T) {
	out := t.TempDir()
	if _, stderr, code := faasim(t, "run", "webhook", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	before := listing(t, out)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	var o, e bytes.Buffer
	if code := run(ctx, []string{"run", long(t), "--out", out}, &o, &e); code != 130 {
		t.Fatalf("exit %d, want 130: %s", code, e.String())
	}
	if o.Len() != 0 || !strings.HasPrefix(e.String(), "faasim: interrupted") {
		t.Errorf("stdout %q, stderr %q", o.String(), e.String())
	}
	if after := listing(t, out); after != before {
		t.Errorf("the directory changed:\n%s\nwas\n%s", after, before)
	}
}

// listing is a directory's file names, sizes and modification times.
func listing(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range ents {
		info, _ := e.Info()
		b.WriteString(e.Name() + " " + info.ModTime().String() + "\n")
	}
	return b.String()
}
