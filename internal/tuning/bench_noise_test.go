package tuning

import (
	"context"
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
)

// realisticNoise is the noise of real invocations that the emulator's
// model (normal jitter, rare outliers) leaves out: lognormal jitter of the
// duration (sigma: 0.05 to 0.15) and an outlier (a GC pause, a noisy
// neighbour: 1.5 to 4 times as long) in about one invocation of every
// outlierEvery. The emulator's own cold starts stay as they are.
type realisticNoise struct {
	sigma        float64
	outlierEvery float64
	seed         uint64
}

// factor is the noise of the k-th invocation of one alias: drawn from its
// own seeded stream, so that each size gets the same noise whatever order
// parallel invocations arrive in.
func (n realisticNoise) factor(alias string, k int) float64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(alias))
	rng := rand.New(rand.NewPCG(n.seed^h.Sum64(), uint64(k)))
	f := math.Exp(n.sigma * rng.NormFloat64())
	if rng.Float64() < 1/n.outlierEvery {
		f *= 1.5 + 2.5*rng.Float64()
	}
	return f
}

// noisyClients hands out Lambda clients whose Invoke results carry
// realisticNoise in their REPORT lines.
type noisyClients struct {
	awsapi.Clients
	noise realisticNoise

	mu     sync.Mutex
	counts map[string]int
}

func withRealisticNoise(c awsapi.Clients, noise realisticNoise) *noisyClients {
	return &noisyClients{Clients: c, noise: noise, counts: map[string]int{}}
}

func (c *noisyClients) Lambda(region string) awsapi.LambdaAPI {
	return &noisyLambda{LambdaAPI: c.Clients.Lambda(region), c: c}
}

func (c *noisyClients) next(alias string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := c.counts[alias]
	c.counts[alias]++
	return k
}

type noisyLambda struct {
	awsapi.LambdaAPI
	c *noisyClients
}

func (l *noisyLambda) Invoke(ctx context.Context, in *lambda.InvokeInput, optFns ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	out, err := l.LambdaAPI.Invoke(ctx, in, optFns...)
	if err != nil || out.LogResult == nil {
		return out, err
	}
	tail, err := base64.StdEncoding.DecodeString(*out.LogResult)
	if err != nil {
		return nil, fmt.Errorf("the emulator's log tail is not base64: %w", err)
	}
	alias := aws.ToString(in.FunctionName) + ":" + aws.ToString(in.Qualifier)
	lines := strings.Split(string(tail), "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "REPORT ") {
			lines[i] = withNoise(line, l.c.noise.factor(alias, l.c.next(alias)))
		}
	}
	out.LogResult = aws.String(base64.StdEncoding.EncodeToString([]byte(strings.Join(lines, "\n"))))
	return out, nil
}

// withNoise scales a REPORT line's Duration by f and bills it again
// (duration and init, rounded up to the millisecond).
func withNoise(line string, f float64) string {
	fields := strings.Split(line, "\t")
	ms := func(field, name string) (float64, bool) {
		v, ok := strings.CutPrefix(field, name+": ")
		if !ok {
			return 0, false
		}
		x, err := strconv.ParseFloat(strings.TrimSuffix(v, " ms"), 64)
		return x, err == nil
	}
	var duration, initMs float64
	for _, field := range fields {
		if d, ok := ms(field, "Duration"); ok {
			duration = math.Round(d*f*100) / 100
		}
		if d, ok := ms(field, "Init Duration"); ok {
			initMs = d
		}
	}
	for i, field := range fields {
		if _, ok := ms(field, "Duration"); ok {
			fields[i] = "Duration: " + strconv.FormatFloat(duration, 'f', 2, 64) + " ms"
		}
		if _, ok := ms(field, "Billed Duration"); ok {
			fields[i] = "Billed Duration: " + strconv.FormatFloat(math.Ceil(duration+initMs), 'f', 0, 64) + " ms"
		}
	}
	return strings.Join(fields, "\t")
}
