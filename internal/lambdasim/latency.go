package lambdasim

import (
	"math/rand/v2"
	"time"
)

// The control plane runs in real time: UpdateDelay, PublishDelay,
// SnapStartDelay and ControlPlaneLatency are never scaled by TimeScale,
// which only shortens invocations. A tuner's waiting schedule meets AWS's
// latencies, however fast the simulated functions run. With Options.Clock
// set, update and SnapStart deadlines follow that clock, but PublishDelay
// and ControlPlaneLatency are still slept in real time.

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

// controlPlaneDelay draws the real time to wait before answering a call of
// class: ControlPlaneLatency for Lambda API calls (GetFunction's own quota
// and the shared one), nothing for Invoke, S3 and CloudWatch Logs. The
// caller holds s.mu.
func (s *Server) controlPlaneDelay(class QuotaClass) time.Duration {
	if class != QuotaGetFunction && class != QuotaControl {
		return 0
	}
	return s.jittered(s.opts.ControlPlaneLatency)
}
