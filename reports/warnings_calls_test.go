package reports

import "testing"

// Dead letters and failed calls are failures where the caller sees them:
// the failing warning and the plots' failure notes count them.
func TestCallFailuresCount(t *testing.T) {
	s := SystemResult{Counts: Counts{Requests: 1000, Completed: 970}, CallResult: &CallResult{Failed: 10, DeadLettered: 20}, Warnings: []Warning{}}
	ws := s.countWarnings()
	found := false
	for _, w := range ws {
		if w.Code == Failing {
			found = true
			if want := "3.00% of its requests failed (0 rejected, 0 timed out, 10 failed, 20 dead-lettered)"; w.Message != want {
				t.Errorf("message %q, want %q", w.Message, want)
			}
		}
	}
	if !found {
		t.Errorf("warnings %v: 3%% failed or dead-lettered should be failing", ws)
	}
	if share, how, ok := failure(&s); !ok || share != "3.00%" || how != "failed or dead-lettered" {
		t.Errorf("failure = %q %q %v", share, how, ok)
	}
	s.CallResult = nil
	if _, _, ok := failure(&s); ok {
		t.Error("no failure without rejections, timeouts or calls")
	}
}
