package lambdasim

import (
	"math/rand/v2"
	"time"
)

// The control plane runs in real time: UpdateDelay, PublishDelay and
// SnapStartDelay are never scaled by TimeScale, which only shortens
// invocations. A tuner's waiting schedule meets AWS's latencies, however
// fast the simulated functions run.

// newJitterRNG is the seeded stream that spreads control-plane delays; it
// is apart from the ID stream so that jitter leaves IDs unchanged.
func newJitterRNG(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x6a6974746572)) // "jitter"
}

// jittered draws one control-plane delay: d spread uniformly over
// d×(1−DelayJitter) … d×(1+DelayJitter). The caller holds s.mu.
func (s *Server) jittered(d time.Duration) time.Duration {
	j := s.opts.DelayJitter
	if j <= 0 || d <= 0 {
		return d
	}
	return time.Duration(float64(d) * (1 + j*(2*s.jitter.Float64()-1)))
}
