package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The catalogue of hostile inputs (testdata/hostile.txt): scenario and
// trace files a user could write that once crashed, hung, exhausted memory
// or were read two ways, and their neighbours. Each case names the command,
// the exit code and what the output must say (the key path, line or flag);
// every case must also end within hostileDeadline, allocate less than
// hostileAlloc in total, and print no panic trace.
//
// The format, one case after another:
//
//	=== NAME: what it is (and what it did before)
//	args: run s.yaml --out {out}     (files of the case by name; {dir}, {out})
//	exit: 2
//	stderr: systems[0].timeout       (each such line must appear in stderr)
//	stdout: ...                      (and in stdout)
//	-- s.yaml --
//	file text, or one generator line: @fifo, @dir, @symlink TARGET, @gen NAME ARGS
//
// The header's lines "macro @NAME = TEXT" define shorthands for file text
// (@HEAD, @POISSON, @LAMBDA, @VM); scenarios' fuzz seeds read them too.
const (
	hostileDeadline = 20 * time.Second
	hostileAlloc    = 2 << 30
)

type hostileCase struct {
	name, line     string
	args           []string
	exit           int
	stderr, stdout []string
	files          []hostileFile
}

type hostileFile struct{ name, text string }

func readHostile(t *testing.T) ([]hostileCase, *strings.Replacer) {
	b, err := os.ReadFile(filepath.Join("testdata", "hostile.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var macros []string
	var cases []hostileCase
	var c *hostileCase
	var f *hostileFile
	for n, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "=== "):
			cases = append(cases, hostileCase{exit: -1, line: fmt.Sprintf("testdata/hostile.txt:%d", n+1)})
			c, f = &cases[len(cases)-1], nil
			c.name, _, _ = strings.Cut(strings.TrimPrefix(line, "=== "), ":")
		case c == nil:
			if name, text, ok := strings.Cut(strings.TrimPrefix(line, "macro "), " = "); ok && strings.HasPrefix(line, "macro ") {
				macros = append(macros, name, strings.ReplaceAll(text, `\n`, "\n"))
			}
		case strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --"):
			c.files = append(c.files, hostileFile{name: strings.TrimSuffix(strings.TrimPrefix(line, "-- "), " --")})
			f = &c.files[len(c.files)-1]
		case f != nil:
			f.text += line + "\n"
		case strings.HasPrefix(line, "args: "):
			c.args = strings.Fields(strings.TrimPrefix(line, "args: "))
		case strings.HasPrefix(line, "exit: "):
			c.exit, err = strconv.Atoi(strings.TrimPrefix(line, "exit: "))
			if err != nil {
				t.Fatalf("%s: %v", c.line, err)
			}
		case strings.HasPrefix(line, "stderr: "):
			c.stderr = append(c.stderr, strings.TrimPrefix(line, "stderr: "))
		case strings.HasPrefix(line, "stdout: "):
			c.stdout = append(c.stdout, strings.TrimPrefix(line, "stdout: "))
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		default:
			t.Fatalf("testdata/hostile.txt:%d: %q is not part of a case", n+1, line)
		}
	}
	for _, c := range cases {
		if c.exit < 0 || len(c.args) == 0 {
			t.Fatalf("%s (%s): want args: and exit:", c.line, c.name)
		}
	}
	return cases, strings.NewReplacer(macros...)
}

// makeFile writes one file of a case into dir.
func makeFile(t *testing.T, dir string, f hostileFile, macros *strings.Replacer) {
	path := filepath.Join(dir, f.name)
	text := strings.TrimSuffix(f.text, "\n")
	fields := strings.Fields(text)
	var err error
	switch {
	case len(fields) > 0 && fields[0] == "@fifo":
		if err = syscall.Mkfifo(path, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	case len(fields) > 0 && fields[0] == "@dir":
		err = os.Mkdir(path, 0o755)
	case len(fields) > 1 && fields[0] == "@symlink":
		err = os.Symlink(fields[1], path)
	case len(fields) > 0 && fields[0] == "@gen":
		err = os.WriteFile(path, generate(t, fields[1:]), 0o644)
	default:
		err = os.WriteFile(path, []byte(macros.Replace(text)+"\n"), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// generate makes the large inputs: NAME N.
func generate(t *testing.T, args []string) []byte {
	n := 0
	if len(args) > 1 {
		f, err := strconv.ParseFloat(args[1], 64)
		if err != nil {
			t.Fatalf("@gen %v: %v", args, err)
		}
		n = int(f)
	}
	head := "name: x\nduration: 1h\nworkload: {type: poisson, rate: 1}\nsystems: [{name: l, platform: aws-lambda-x86}]\n"
	var b strings.Builder
	switch args[0] {
	case "yaml-flow": // {a: {a: ... 1}} nested n deep
		b.WriteString(head + "w: " + strings.Repeat("{a: ", n) + "1" + strings.Repeat("}", n) + "\n")
	case "yaml-block": // a:\n a:\n  a: ... until n bytes
		b.WriteString(head + "w:\n")
		for i := 1; b.Len() < n; i++ {
			b.WriteString(strings.Repeat(" ", i) + "a:\n")
		}
	case "json-array":
		b.WriteString(`{"w": ` + strings.Repeat("[", n) + strings.Repeat("]", n) + "}")
	case "json-object":
		b.WriteString(strings.Repeat(`{"a": `, n) + "1" + strings.Repeat("}", n))
	case "toml-array": // a go-toml stack overflow (fatal) before the depth check
		b.WriteString("name = \"x\"\nw = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n")
	case "toml-inline":
		b.WriteString("name = \"x\"\nw = " + strings.Repeat("{a = ", n) + "1" + strings.Repeat("}", n) + "\n")
	case "toml-dotted-table":
		b.WriteString("[" + strings.Repeat("a.", n) + "b]\nx = 1\n")
	case "toml-dotted-key":
		b.WriteString(strings.Repeat("a.", n) + "b = 1\n")
	case "yaml-laughs": // each level nine aliases of the one below: 9^n values
		b.WriteString(head + "l0: &l0 [x, x, x, x, x, x, x, x, x]\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
		}
	case "unknown-keys": // n unknown top-level keys
		b.WriteString(head)
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "unknown_key_%d: 1\n", i)
		}
	case "long-value": // a rate of n bytes
		b.WriteString("name: x\nduration: 1h\nworkload: {type: poisson, rate: " + strings.Repeat("9", n) + "x}\nsystems: [{name: l, platform: aws-lambda-x86}]\n")
	case "long-key": // in JSON: a YAML plain key is at most 1,024 characters
		b.WriteString(`{"name": "x", "duration": "1h", "workload": {"type": "poisson", "rate": 1}, "systems": [{"name": "l", "platform": "aws-lambda-x86"}], "` +
			strings.Repeat("k", n) + `": 1}`)
	case "long-name":
		b.WriteString("name: " + strings.Repeat("n", n) + "\nduration: 1h\nworkload: {type: poisson, rate: 1}\nsystems: [{name: l, platform: aws-lambda-x86}]\n")
	case "size": // a comment of n bytes
		b.WriteString(head + "# " + strings.Repeat("x", n) + "\n")
	case "csv-long-line":
		b.WriteString("offset,function,duration\n0,f," + strings.Repeat("1", n) + "\n")
	case "many-systems": // n servers, time series of 1 s over 11.5 days: a million rows each
		b.WriteString("name: x\nduration: 277h\nworkload: {type: poisson, rate: 0.001}\nreport: {interval: 1s}\nsystems:\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  - {name: s%d, platform: aws-ec2-m5.large, instances: 1}\n", i)
		}
	case "toml-nul":
		b.WriteString("name = \"x\"\x00\n")
	case "garbage": // n pseudo-random bytes
		x := uint32(2463534242)
		for i := 0; i < n; i++ {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			b.WriteByte(byte(x))
		}
	default:
		t.Fatalf("@gen %s: no such generator", args[0])
	}
	return []byte(b.String())
}

// TestHostile runs the catalogue, one case after another (their memory is
// measured from the process's allocation counter).
func TestHostile(t *testing.T) {
	cases, macros := readHostile(t)
	if len(cases) < 100 {
		t.Errorf("the catalogue has %d cases; want at least 100", len(cases))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Errorf("%s: case %q twice", c.line, c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range c.files {
				makeFile(t, dir, f, macros)
			}
			args := make([]string, len(c.args))
			for i, a := range c.args {
				a = strings.ReplaceAll(a, "{dir}", dir)
				a = strings.ReplaceAll(a, "{out}", filepath.Join(dir, "out"))
				for _, f := range c.files {
					if a == f.name {
						a = filepath.Join(dir, f.name)
					}
				}
				args[i] = a
			}
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			stdout, stderr, code := runWithin(t, args, hostileDeadline)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > hostileAlloc {
				t.Errorf("%s: allocated %d MB; want under %d MB", c.line, alloc>>20, hostileAlloc>>20)
			}
			if code != c.exit {
				t.Errorf("%s: exit %d, want %d\nstderr:\n%s", c.line, code, c.exit, cut(stderr))
			}
			for _, w := range c.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("%s: stderr lacks %q:\n%s", c.line, w, cut(stderr))
				}
			}
			for _, w := range c.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("%s: stdout lacks %q:\n%s", c.line, w, cut(stdout))
				}
			}
			for _, bad := range []string{"goroutine ", "panic:"} {
				if strings.Contains(stderr, bad) || strings.Contains(stdout, bad) {
					t.Errorf("%s: a panic trace:\n%s", c.line, cut(stderr))
				}
			}
			if len(stderr) > 64<<10 {
				t.Errorf("%s: %d bytes of messages; want them short", c.line, len(stderr))
			}
		})
	}
}

// runWithin runs the CLI in-process and fails the test if it has not
// returned by the deadline (its context is cancelled halfway there, as
// Ctrl-C would).
func runWithin(t *testing.T, args []string, deadline time.Duration) (string, string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), deadline/2)
	defer cancel()
	type result struct {
		stdout, stderr string
		code           int
		panicked       any
	}
	done := make(chan result, 1)
	go func() {
		var o, e bytes.Buffer
		r := result{code: -1}
		defer func() {
			r.panicked = recover()
			r.stdout, r.stderr = o.String(), e.String()
			done <- r
		}()
		r.code = run(ctx, args, &o, &e)
	}()
	select {
	case r := <-done:
		if r.panicked != nil {
			t.Fatalf("%v: panic: %v", args, r.panicked)
		}
		return r.stdout, r.stderr, r.code
	case <-time.After(deadline):
		t.Fatalf("%v: still running after %v (Ctrl-C at %v did not stop it)", args, deadline, deadline/2)
	}
	return "", "", -1
}

func cut(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
