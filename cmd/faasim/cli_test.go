package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// TestVersion: --version and version print the same line; the version
// comes from the build info where a release did not set it.
func TestVersion(t *testing.T) {
	a, _, code := faasim(t, "--version")
	b, _, code2 := faasim(t, "version")
	if code != 0 || code2 != 0 || a != b || !strings.HasPrefix(a, "faasim ") || !strings.Contains(a, "(go1.") {
		t.Errorf("--version %q (exit %d), version %q (exit %d)", a, code, b, code2)
	}
	for _, tc := range []struct {
		v    string
		bi   debug.BuildInfo
		want string
	}{
		// -ldflags set a release version: it stands.
		{"1.2.0", debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}}, "1.2.0"},
		// go install ...@v0.3.1 records the module version.
		{defaultVersion, debug.BuildInfo{Main: debug.Module{Version: "v0.3.1"}}, "v0.3.1"},
		// A build from a checkout: the revision, and whether it was modified.
		{defaultVersion, debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "3f2a9c1b7d4e5f60718293a4b5c6d7e8f9012345"}, {Key: "vcs.modified", Value: "true"}}}, defaultVersion + "+3f2a9c1b7d4e.dirty"},
		// No build information at all (go test): the default.
		{defaultVersion, debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, defaultVersion},
	} {
		if got := fromBuildInfo(tc.v, &tc.bi); got != tc.want {
			t.Errorf("fromBuildInfo(%q, %+v) = %q, want %q", tc.v, tc.bi.Main, got, tc.want)
		}
	}
}

// TestProgressLine: the line shows the share done and an ETA from the
// elapsed wall time; clear erases it, and nothing is printed after.
func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	now := time.Unix(0, 0)
	p := &progress{w: &b, now: func() time.Time { return now }, start: now, last: now}
	now = now.Add(100 * time.Millisecond)
	p.update(0.01) // within 200 ms of the last: skipped
	now = now.Add(time.Second)
	p.update(0.25) // 1.1 s for a quarter: 3.3 s to go
	if got := b.String(); got != "simulating…  25%, about 0:04 left" {
		t.Errorf("line %q", got)
	}
	now = now.Add(time.Hour)
	p.update(0.5)
	if got := b.String(); !strings.HasSuffix(got, "\r\x1b[Ksimulating…  50%, about 1:00:02 left") {
		t.Errorf("line %q", got)
	}
	b.Reset()
	p.clear()
	now = now.Add(time.Hour)
	p.update(0.9)
	if got := b.String(); got != "\r\x1b[K" {
		t.Errorf("after clear: %q, want only the erase", got)
	}
	// TERM=dumb: no escape sequence; spaces erase the line.
	b.Reset()
	d := &progress{w: &b, now: func() time.Time { return now }, start: now.Add(-time.Hour), last: now.Add(-time.Hour), dumb: true}
	d.update(0.5)
	d.clear()
	if got := b.String(); strings.Contains(got, "\x1b") || !strings.HasSuffix(got, "\r"+strings.Repeat(" ", len([]rune("simulating…  50%, about 1:00:00 left")))+"\r") {
		t.Errorf("dumb terminal: %q", got)
	}
	var nilp *progress
	nilp.clear() // off a terminal there is no progress; clear is safe
}

// TestFlagsBeforeSimulating: a flag mistake is found before anything is
// simulated or written, whatever the order of the flags.
func TestFlagsBeforeSimulating(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--baseline", "nope"}, `--baseline "nope" is not a system of the scenario; systems: lambda, two-vms`},
		{[]string{"--interval", "1ns"}, "--interval 1ns makes"},
		{[]string{"--interval", "-1m"}, "--interval -1m0s: want a duration > 0"},
		{[]string{"--format", "xml"}, "--format"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		start := time.Now()
		_, stderr, code := faasim(t, append([]string{"run", "quickstart", "--out", out}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %s", tc.args, code, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: --out directory created", tc.args)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%v: took %v: simulated before checking?", tc.args, d)
		}
	}
	if _, stderr, code := faasim(t, "run", "quickstart", "--interval", "5m"); code != 2 || !strings.Contains(stderr, "give --out DIR too") {
		t.Errorf("--interval without --out: exit %d, %s", code, stderr)
	}
	// faasim plot with an unknown --systems rewrites nothing.
	dir := t.TempDir()
	if _, stderr, code := faasim(t, "run", "quickstart", "--out", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	before := listing(t, dir)
	time.Sleep(10 * time.Millisecond)
	if _, stderr, code := faasim(t, "plot", dir, "--systems", "lambda,nope"); code != 2 || !strings.Contains(stderr, "nope") {
		t.Errorf("plot --systems nope: exit %d, %s", code, stderr)
	}
	if after := listing(t, dir); after != before {
		t.Errorf("plot with a bad --systems changed the directory:\n%s\nwas\n%s", after, before)
	}
}
