package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress prints "simulating… 42%" on stderr, at most every 200 ms wall
// time, and only when stderr is a terminal (never into files or pipes, so
// scripted output stays clean).
type progress struct {
	w     io.Writer
	mu    sync.Mutex
	last  time.Time
	shown bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progress{w: w, last: time.Now()}
}

func (p *progress) update(done float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.shown = true
	fmt.Fprintf(p.w, "\rsimulating… %3.0f%%", done*100)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
