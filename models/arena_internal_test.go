package models

import "testing"

// pages hands out slots that keep their values across page boundaries,
// reuses the last freed first, and grows a page at a time (never copying:
// a pointer to a slot stays valid as pages are added).
func TestPages(t *testing.T) {
	var p pages[int64]
	const n = 3<<pageBits + 5
	first := p.alloc()
	ptr := p.at(first)
	*ptr = -1
	for i := 1; i < n; i++ {
		if s := p.alloc(); s != int32(i) {
			t.Fatalf("slot %d, want %d", s, i)
		}
		*p.at(int32(i)) = int64(i) * 7
	}
	if len(p.pg) != 4 || ptr != p.at(first) || *ptr != -1 {
		t.Fatalf("%d pages (want 4); the first slot moved or changed: %v", len(p.pg), *p.at(first))
	}
	for i := 1; i < n; i++ {
		if v := *p.at(int32(i)); v != int64(i)*7 {
			t.Fatalf("slot %d holds %d, want %d", i, v, i*7)
		}
	}
	p.release(5000)
	p.release(17)
	if a, b, c := p.alloc(), p.alloc(), p.alloc(); a != 17 || b != 5000 || c != n {
		t.Errorf("after releasing 5000 and 17: slots %d, %d, %d; want 17, 5000, %d", a, b, c, n)
	}
}
