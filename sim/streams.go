package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// Seed derives independent named random streams from one master seed, so
// adding a consumer never shifts another's draws and two systems asking for
// the same name see the same numbers (common random numbers).
type Seed uint64

// Source returns a fresh PCG source for the stream called name. The two PCG
// words are splitmix64 mixes of (seed, FNV-1a(name)), so nearby seeds and
// similar names still give unrelated streams.
func (s Seed) Source(name string) *rand.PCG {
	h := fnv.New64a()
	h.Write([]byte(name))
	a := splitmix64(uint64(s) ^ h.Sum64())
	b := splitmix64(a ^ 0x9e3779b97f4a7c15)
	return rand.NewPCG(a, b)
}

// Stream returns a *rand.Rand over Source(name).
func (s Seed) Stream(name string) *rand.Rand { return rand.New(s.Source(name)) }

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
