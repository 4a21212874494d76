package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// sweepProgress draws "sweep [#####.....] 37/120 runs, ETA 12s" on stderr,
// at most every 200 ms wall time, only on a terminal. A goal's search adds
// runs as it goes, so the total (and the ETA) can grow.
type sweepProgress struct {
	w     io.Writer
	mu    sync.Mutex
	start time.Time
	last  time.Time
	shown bool
}

func newSweepProgress(w io.Writer) *sweepProgress {
	if !isTerminal(w) {
		return nil
	}
	now := time.Now()
	return &sweepProgress{w: w, start: now, last: now}
}

func (p *sweepProgress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond || total <= 0 {
		return
	}
	p.last, p.shown = now, true
	const width = 24
	n := width * done / total
	eta := "…"
	if done > 0 {
		left := time.Duration(float64(now.Sub(p.start)) * float64(total-done) / float64(done))
		eta = left.Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r\033[Ksweep [%s%s] %d/%d runs, ETA %s", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total, eta)
}

// finish clears the line, so the table starts on a clean one.
func (p *sweepProgress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
