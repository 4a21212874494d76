package sweep

import (
	"strconv"

	"github.com/faasim/faasim/sim"
)

// ReplicationSeed is the seed of replication r of every point: the
// scenario's own seed for r = 0, so a one-replication sweep point is
// exactly `faasim run` of that point, and for r >= 1 the first word of the
// named stream "sweep/replication/r" of that seed (sim.Seed's splitmix
// mixing), so seeds of nearby replications and nearby base seeds are
// unrelated. It does not depend on the point: differences between points
// are the points', not noise (common random numbers).
func ReplicationSeed(seed uint64, r int) uint64 {
	if r == 0 {
		return seed
	}
	return sim.Seed(seed).Source("sweep/replication/" + strconv.Itoa(r)).Uint64()
}

// Seeds lists the seeds of replications 0..n-1.
func Seeds(seed uint64, n int) []uint64 {
	out := make([]uint64, n)
	for r := range out {
		out[r] = ReplicationSeed(seed, r)
	}
	return out
}
