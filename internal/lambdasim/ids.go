package lambdasim

import (
	"hash/fnv"
	"math/rand/v2"
)

// idSource makes request IDs and RevisionIds. It is seeded, so a run with
// the same seed and the same request order gives the same IDs; callers hold
// the server lock.
type idSource struct {
	rng *rand.Rand
}

func newIDSource(seed int64) *idSource {
	return &idSource{rng: rand.New(rand.NewPCG(uint64(seed), 0x6c616d626461))} // "lambda"
}

// uuid returns a version-4-shaped UUID.
func (s *idSource) uuid() string {
	const hex = "0123456789abcdef"
	var b [16]byte
	hi, lo := s.rng.Uint64(), s.rng.Uint64()
	for i := range 8 {
		b[i] = byte(hi >> (8 * i))
		b[8+i] = byte(lo >> (8 * i))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0x0f])
	}
	return string(out)
}

// hexString returns n random hex digits (X-Ray trace and segment IDs).
func (s *idSource) hexString(n int) string {
	const hex = "0123456789abcdef"
	out := make([]byte, n)
	for i := range out {
		out[i] = hex[s.rng.IntN(16)]
	}
	return string(out)
}

// streamRNG returns a generator for one stream of simulated measurements
// (one function version), independent of every other stream, so the noise
// one power value sees does not depend on how others interleave with it.
func streamRNG(seed int64, parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}
