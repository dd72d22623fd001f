package managed

import "time"

// The ramp finds how many invocations to keep in flight: it starts each
// environment at a quarter of what it may serve at once and doubles, up to
// that maximum, while throughput keeps rising and nothing is throttled or
// fails. The best level is then held for load_seconds.

// risingBy is how much more a level must serve than the best before it to
// count as rising: less is noise (a load past what the vCPUs serve
// measures a few % high or low), and more in flight only adds latency.
// Doubling what is in flight below saturation serves nearly twice as much.
const risingBy = 1.10

// rampLevels are the invocations in flight per environment the ramp tries:
// a quarter of concurrency (at least one), doubling, concurrency last.
func rampLevels(concurrency int) []int {
	var levels []int
	for n := max(1, concurrency/4); n < concurrency; n *= 2 {
		levels = append(levels, n)
	}
	return append(levels, concurrency)
}

// rampStep is how long each ramp level is held: a tenth of the load, from
// 2 to 10 seconds, long enough for a few rounds of invocations that take
// hundreds of milliseconds.
func rampStep(load time.Duration) time.Duration {
	return min(max(load/10, 2*time.Second), 10*time.Second)
}

// better says whether next, measured after best, is the better level to
// hold: it serves clearly more, and was neither throttled nor failed.
func better(next, best level) bool {
	return next.throttles == 0 && next.errors == 0 && next.throughput() > risingBy*best.throughput()
}

// clean says whether the ramp may go on past l.
func clean(l level) bool { return l.throttles == 0 && l.errors == 0 }
