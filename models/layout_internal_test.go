package models

import (
	"testing"
	"unsafe"
)

// The per-function state every request touches is one 64-byte cache line
// (fnState); with 100,000 functions, a request then misses one line for its
// function, not three.
func TestFnStateOneCacheLine(t *testing.T) {
	if n := unsafe.Sizeof(fnState{}); n != 64 {
		t.Errorf("fnState is %d bytes, want 64", n)
	}
}

// A queued request holds BytesPerQueued bytes, the figure the backlog
// budget (max_backlog_mb) divides by: the invocation layer's tag and batch
// size fit in the padding after the two times.
func TestQueuedSize(t *testing.T) {
	if n := unsafe.Sizeof(faasQueued{}); n != BytesPerQueued {
		t.Errorf("faasQueued is %d bytes, want %d", n, BytesPerQueued)
	}
	if n := unsafe.Sizeof(srvQueued{}); n != BytesPerQueued {
		t.Errorf("srvQueued is %d bytes, want %d", n, BytesPerQueued)
	}
}

// An event an invocation layer holds fits in BytesPerHeld, the figure its
// share of the backlog budget is counted in.
func TestHeldSize(t *testing.T) {
	for name, n := range map[string]uintptr{
		"queueMsg + its index": unsafe.Sizeof(queueMsg{}) + 4,
		"asyncEvent":           unsafe.Sizeof(asyncEvent{}),
		"attemptSlot + a sync call's failure flag": unsafe.Sizeof(attemptSlot{}) + 1,
	} {
		if n > BytesPerHeld {
			t.Errorf("%s is %d bytes, over BytesPerHeld %d", name, n, BytesPerHeld)
		}
	}
}
