package reports

import "strings"

// howToRead says, per figure, how to read it: report.html's "how to read
// this", and (word for word, a test checks) docs/reports.md's sentence.
var howToRead = map[string]string{
	"latency_cdf": "Follow a horizontal line to where each curve crosses it: at 99% that is the system's p99; the share axis is " +
		"stretched so that 90%, 99% and 99.9% are evenly spaced, and dots mark each system's p50 and p99.",
	"cost_breakdown": "The left bars compare what each system cost over the measured window (a log axis when the bills span " +
		"more than 10x); the right bars split each bill into its parts as shares.",
	"timeline": "Read down one moment of simulated time: the arrivals (the same for every system), then how each system " +
		"answered them: instances alive, requests in the system, cold starts, failures and the p99 of each window.",
	"cold_starts_by_function": "Each row is a function (with its request count), the ones with the most cold starts first; " +
		"compare the bars within a row to see which system spares that function its cold starts.",
	"tradeoff": "Each point is a system (or a system at one point of a sweep): further left is faster, lower is cheaper; the " +
		"ringed points joined by the dotted line are the frontier, where nothing is both cheaper and faster beyond the noise, " +
		"the dashed line is the SLO, and a hollow point failed, saturated or missed the SLO, so it is never on the frontier.",
	"break_even": "Each line is one system's bill per 30 days (its run's bill extrapolated) as the request rate grows, with " +
		"its confidence band; where the lines cross, the cheaper system changes: the dashed line marks the break-even rate.",
	"power_tuning": "Read each memory size up its column: the solid line is the p99 latency and the dotted one the p50 " +
		"(left axis), the dashed line with squares the cost per million requests (right axis); the vertical lines mark " +
		"what each strategy picks, the horizontal one the latency the goal allows.",
	"keep_alive_frontier": "Each point is a keep-alive policy or TTL: further left keeps less idle memory warm, lower has " +
		"fewer cold starts; the ringed points joined by the dotted line are the frontier, and a policy off it is beaten on " +
		"both by one on it.",
	"sweep": "Each panel is one metric against the sweep's axis, one line per system with its confidence band over the " +
		"replications; a ring marks the goal's answer, a dashed line the constraint on that metric, and a hollow point a " +
		"system with a warning there.",
}

// readFor is the how-to-read of a figure by its name (a sweep_KEY_METRIC
// figure reads as the sweep figure).
func readFor(name string) string {
	if strings.HasPrefix(name, "sweep_") {
		name = "sweep"
	}
	return howToRead[name]
}
