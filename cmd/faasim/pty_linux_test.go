package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: what faasim writes to the slave
// (its stdout) is read from the master, as a terminal would show it.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skipf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open slave: %v", err)
	}
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

// onTerminal runs the CLI with stdout on a pseudo-terminal and returns
// what the terminal received.
func onTerminal(t *testing.T, args ...string) string {
	t.Helper()
	master, slave := openPTY(t)
	got := make(chan string)
	go func() {
		var b bytes.Buffer
		io.Copy(&b, master) // ends with EIO once the slave is closed
		got <- b.String()
	}()
	var stderr bytes.Buffer
	if code := run(context.Background(), args, slave, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	slave.Close()
	return <-got
}

// TestColorOnTerminal: the best values are bold green on a terminal, and
// plain with NO_COLOR (any non-empty value) or TERM=dumb, or off a terminal.
func TestColorOnTerminal(t *testing.T) {
	const green = "\x1b[1;32m"
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm-256color")
	if out := onTerminal(t, "run", "quickstart"); !strings.Contains(out, green) || !strings.Contains(out, "bold green: best value") {
		t.Errorf("no colour on a terminal:\n%q", out)
	}
	t.Setenv("NO_COLOR", "1")
	if out := onTerminal(t, "run", "quickstart"); strings.Contains(out, "\x1b[") || !strings.Contains(out, "* best value") {
		t.Errorf("colour despite NO_COLOR:\n%q", out)
	}
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "dumb")
	if out := onTerminal(t, "run", "quickstart"); strings.Contains(out, "\x1b[") {
		t.Errorf("colour on TERM=dumb:\n%q", out)
	}
	t.Setenv("TERM", "xterm-256color")
	if out, _, _ := faasim(t, "run", "quickstart"); strings.Contains(out, "\x1b[") {
		t.Error("colour into a buffer (not a terminal)")
	}
	null, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	defer null.Close()
	if isTerminal(null) {
		t.Error("/dev/null is a character device, not a terminal")
	}
}
