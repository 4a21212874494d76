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
