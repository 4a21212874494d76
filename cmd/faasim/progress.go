package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress prints "simulating… 42%, about 0:13 left" on stderr, at most
// every 200 ms wall time, and only when stderr is a terminal (never into
// files or pipes, so scripted output stays clean). clear erases the line
// before anything else is printed, and drops every later update, so the
// line never interleaves with the table or an error.
type progress struct {
	w     io.Writer
	mu    sync.Mutex
	now   func() time.Time
	start time.Time
	last  time.Time
	shown int  // runes of the line on screen; 0: none
	done  bool // cleared: no more updates
	dumb  bool // TERM=dumb: no escape sequences, erase with spaces
}

func newProgress(w io.Writer) *progress {
	if !isTerminal(w) {
		return nil
	}
	p := &progress{w: w, now: time.Now, dumb: os.Getenv("TERM") == "dumb"}
	p.start = p.now()
	p.last = p.start
	return p
}

func (p *progress) update(done float64) { p.show("simulating…", done) }

// runs is update for a sweep: "sweep: 37/120 runs, 31%, about 0:12 left"
// (a goal's search adds runs as it goes, so the total can grow).
func (p *progress) runs(done, total int) {
	if total > 0 {
		p.show(fmt.Sprintf("sweep: %d/%d runs,", done, total), float64(done)/float64(total))
	}
}

func (p *progress) show(what string, done float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.done || now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	line := fmt.Sprintf("%s %3.0f%%", what, done*100)
	if elapsed := now.Sub(p.start); done >= 0.01 && elapsed >= time.Second {
		left := time.Duration(float64(elapsed) * (1 - done) / done)
		line += ", about " + clock(left) + " left"
	}
	p.erase()
	fmt.Fprint(p.w, line)
	p.shown = len([]rune(line))
}

// erase removes the line on screen, if any.
func (p *progress) erase() {
	switch {
	case p.shown == 0:
	case p.dumb:
		fmt.Fprint(p.w, "\r"+strings.Repeat(" ", p.shown)+"\r")
	default:
		fmt.Fprint(p.w, "\r\033[K")
	}
	p.shown = 0
}

// clear erases the line for good. Safe on a nil progress.
func (p *progress) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	p.done = true
}

// clock prints a duration as m:ss or h:mm:ss, rounded up to the second.
func clock(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
