package models

import (
	"fmt"

	"github.com/faasim/faasim/sim"
)

// Forever is the TTL of an instance that is never reclaimed.
const Forever sim.Time = -1

// KeepAlive decides how long an instance that has just become idle stays
// warm. Policies that pre-warm or draw random lifetimes build on this.
type KeepAlive interface {
	// TTL for an instance of function fn going idle now: Forever, 0 (end at
	// once) or a positive idle lifetime.
	TTL(fn int32) sim.Time
	String() string
}

// FixedKeepAlive ends an instance once it has been idle for Idle.
type FixedKeepAlive struct{ Idle sim.Time }

func (k FixedKeepAlive) TTL(int32) sim.Time { return k.Idle }
func (k FixedKeepAlive) String() string     { return fmt.Sprintf("fixed(%v)", k.Idle) }

// NoKeepAlive ends an instance as soon as it has no request in flight.
type NoKeepAlive struct{}

func (NoKeepAlive) TTL(int32) sim.Time { return 0 }
func (NoKeepAlive) String() string     { return "none" }

// ForeverKeepAlive never reclaims an instance.
type ForeverKeepAlive struct{}

func (ForeverKeepAlive) TTL(int32) sim.Time { return Forever }
func (ForeverKeepAlive) String() string     { return "forever" }
