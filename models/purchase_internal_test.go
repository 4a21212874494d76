package models

import (
	"testing"
	"time"
)

// TestCommitmentClockHours reproduces the AWS whitepaper's Reserved
// Instance examples ("Usage billing", Amazon EC2 Reserved Instances and
// Other AWS Reservation Models, read 2026-12-01): one RI and four instances
// run concurrently for one hour → one RI hour and three on-demand hours;
// four instances of 15 minutes each within the same hour → one RI hour and
// no on-demand hour. Then what the clock-hour rule implies: two instances
// from 0:30 to 1:30 spread over two clock-hours, 1,800 s each in both, so
// one committed instance covers all of it; two for one full clock-hour
// leave 3,600 s on demand.
func TestCommitmentClockHours(t *testing.T) {
	const H = time.Hour
	w := Window{Warmup: 0, Horizon: 2 * H}
	cases := []struct {
		name                     string
		steps                    [][2]int64 // (at in minutes, delta)
		committed, covered, used float64    // instance-seconds
	}{
		{"4 concurrent for 1h", [][2]int64{{0, 4}, {60, -4}}, 2 * 3600, 3600, 4 * 3600},
		{"4 × 15 min in one hour", [][2]int64{{0, 1}, {15, -1}, {15, 1}, {30, -1}, {30, 1}, {45, -1}, {45, 1}, {60, -1}}, 2 * 3600, 3600, 3600},
		{"2 from 0:30 to 1:30", [][2]int64{{30, 2}, {90, -2}}, 2 * 3600, 2 * 3600, 2 * 3600},
		{"2 for 0:00 to 1:00", [][2]int64{{0, 2}, {60, -2}}, 2 * 3600, 3600, 2 * 3600},
	}
	for _, tc := range cases {
		var h hourly
		h.init(w)
		for _, s := range tc.steps {
			h.add(time.Duration(s[0])*time.Minute, int(s[1]))
		}
		committed, covered, used := h.split(w.Horizon, 1)
		if committed != tc.committed || covered != tc.covered || used != tc.used {
			t.Errorf("%s: committed %v covered %v used %v, want %v %v %v", tc.name, committed, covered, used, tc.committed, tc.covered, tc.used)
		}
		// On demand = used − covered: the whitepaper's 3 h and 0 h.
		if tc.name == "4 concurrent for 1h" && used-covered != 3*3600 {
			t.Errorf("%s: %v s on demand, want 3 h", tc.name, used-covered)
		}
		if tc.name == "4 × 15 min in one hour" && used-covered != 0 {
			t.Errorf("%s: %v s on demand, want 0", tc.name, used-covered)
		}
	}
	// A window that starts and ends inside clock-hours: the commitment is
	// paid for the window's part of each (from 0:20 to 2:10, 110 minutes).
	var h hourly
	w = Window{Warmup: 20 * time.Minute, Horizon: 130 * time.Minute}
	h.init(w)
	h.add(0, 3)
	committed, covered, used := h.split(w.Horizon, 2)
	if committed != 2*110*60 || covered != 2*110*60 || used != 3*110*60 {
		t.Errorf("partial hours: committed %v covered %v used %v, want %v %v %v", committed, covered, used, 2*110*60, 2*110*60, 3*110*60)
	}
	// split does not close anything: the same figures again, and up to
	// mid-window only its part.
	if c2, _, _ := h.split(w.Horizon, 2); c2 != committed {
		t.Errorf("split changed the books: %v then %v", committed, c2)
	}
	if c, cv, u := h.split(80*time.Minute, 2); c != 2*60*60 || cv != 2*60*60 || u != 3*60*60 {
		t.Errorf("up to 1:20: %v %v %v, want %v %v %v", c, cv, u, 2*3600, 2*3600, 3*3600)
	}
}
