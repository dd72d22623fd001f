package tuning

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
)

// eightMB is a response past both the buffered limit and the 6 MiB a
// stream sends at full speed.
const eightMB = 8 << 20

func largeResponse(bytes int) map[string]string {
	return map[string]string{"SIM_CPU_MS": "100", "SIM_RESPONSE_BYTES": strconv.Itoa(bytes)}
}

// slowFirstByte makes every stream's first byte come later by on the
// run's clock: the emulator sends headers with the first byte, so the
// call returns when it is due.
type slowFirstByte struct {
	awsapi.LambdaAPI
	clock *tuningtest.Clock
	by    time.Duration
}

func (l *slowFirstByte) InvokeWithResponseStream(ctx context.Context, in *lambda.InvokeWithResponseStreamInput, o ...func(*lambda.Options)) (*lambda.InvokeWithResponseStreamOutput, error) {
	out, err := l.LambdaAPI.InvokeWithResponseStream(ctx, in, o...)
	l.clock.Advance(l.by)
	return out, err
}

// withSlowFirstByte runs the engine on a virtual clock whose streams take
// by to their first byte.
func (env *simEnv) withSlowFirstByte(by time.Duration) func(*Config) {
	clock := tuningtest.NewClock(time.Unix(0, 0))
	return func(c *Config) {
		c.Clock = clock
		c.Clients = wrappedClients{env.clients, func(l awsapi.LambdaAPI) awsapi.LambdaAPI {
			return &slowFirstByte{LambdaAPI: l, clock: clock, by: by}
		}}
	}
}

func TestE2EStreamModeMeasuresLargeResponses(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "large", Environment: largeResponse(eightMB)})
	rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{512, 1024, 2048}, InvokeMode: spec.InvokeModeStream},
		env.withSlowFirstByte(250*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if rep.InvokeMode != spec.InvokeModeStream {
		t.Errorf("report's invoke mode %q, want stream", rep.InvokeMode)
	}
	for _, res := range rep.Results {
		// Sizes invoke in parallel on one clock: at least each stream's own wait.
		if res.TimeToFirstByte < 250 || res.ResponseBytes != eightMB || res.Errors != 0 || res.AverageDuration < 1000 {
			t.Errorf("%d MB: time to first byte %.2f ms, %d bytes, %d errors, %.2f ms; want ≥ 250 ms, %d bytes, none, ≥ 1000 ms (2 MiB past 6 MiB at 2 MiB/s)",
				res.Power, res.TimeToFirstByte, res.ResponseBytes, res.Errors, res.AverageDuration, eightMB)
		}
	}
	if stats := env.sim.Stats(); stats.Requests["Invoke"] != 0 || stats.Requests["InvokeWithResponseStream"] != 15 {
		t.Errorf("requests %v, want 15 streamed invocations and no buffered one", stats.Requests)
	}
	if len(rep.Warnings) != 1 {
		t.Fatalf("warnings %q, want one about the throttled stream", rep.Warnings)
	}
	for _, want := range []string{"8.0 MiB (8388608 bytes)", "2 MiB/s", "about 1000 ms of each invocation", "Memory size changes little"} {
		if !strings.Contains(rep.Warnings[0], want) {
			t.Errorf("warning %q does not say %q", rep.Warnings[0], want)
		}
	}
}

func TestE2EStreamTimeToFirstByteRunsFromTheRequest(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	// The size is the function's own: no update of $LATEST is waited for while
	// it is invoked, so nothing else moves the clock meanwhile.
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "small", MemorySize: 1024, Environment: largeResponse(1000)})
	in := spec.Input{Num: 5, PowerValues: []int32{1024}, InvokeMode: spec.InvokeModeStream}
	rep, err := env.runTuning(arn, in, env.withSlowFirstByte(40*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if res := rep.Results[0]; res.TimeToFirstByte != 40 || res.ResponseBytes != 1000 {
		t.Errorf("time to first byte %.2f ms, %d bytes; want 40 ms exactly and 1000 bytes", res.TimeToFirstByte, res.ResponseBytes)
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings %q for a small response", rep.Warnings)
	}

	in.InvokeMode = spec.InvokeModeBuffered
	rep, err = env.runTuning(arn, in, env.withSlowFirstByte(40*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if res := rep.Results[0]; res.TimeToFirstByte != 0 || res.ResponseBytes != 1000 || rep.InvokeMode != spec.InvokeModeBuffered {
		t.Errorf("buffered: time to first byte %.2f ms, %d bytes, mode %q; want 0, 1000 bytes, buffered", res.TimeToFirstByte, res.ResponseBytes, rep.InvokeMode)
	}
}

func TestE2EAutoModeStreamsWhenTheFirstResponseIsTooLarge(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		t.Run("parallel "+strconv.FormatBool(parallel), func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "large", Environment: largeResponse(eightMB)})
			var rec recorder
			rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{512, 1024}, ParallelInvocation: parallel},
				func(c *Config) { c.Progress = rec.record })
			if err != nil {
				t.Fatal(err)
			}
			if rep.InvokeMode != spec.InvokeModeStream {
				t.Errorf("report's invoke mode %q, want stream", rep.InvokeMode)
			}
			for _, res := range rep.Results {
				if res.Invocations != 5 || res.Errors != 0 || res.ResponseBytes != eightMB {
					t.Errorf("%d MB: %d invocations, %d errors, %d bytes; want 5 streamed ones, no error", res.Power, res.Invocations, res.Errors, res.ResponseBytes)
				}
			}
			// The first invocation went out buffered and was refused; every
			// measured one was streamed.
			if stats := env.sim.Stats(); stats.Requests["Invoke"] != 1 || stats.Requests["InvokeWithResponseStream"] != 10 {
				t.Errorf("requests %v, want one buffered invocation, then 10 streamed", stats.Requests)
			}
			notes := rec.matching(progress.Note, "invoke_mode auto")
			if len(notes) != 1 || !strings.Contains(notes[0], "6291556 bytes") {
				t.Errorf("notes %q, want one naming the 6291556 bytes a buffered invocation returns", notes)
			}
			if len(rep.Warnings) != 1 {
				t.Errorf("warnings %q, want the one about the throttled stream", rep.Warnings)
			}
		})
	}
}

// matching are the messages of the events of kind that contain s.
func (r *recorder) matching(kind progress.Kind, s string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, ev := range r.events {
		if ev.Kind == kind && strings.Contains(ev.Message, s) {
			out = append(out, ev.Message)
		}
	}
	return out
}

func TestE2EAutoModeBuffersResponsesThatFit(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "fits", Environment: largeResponse(6 << 20)})
	rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{512, 1024}, ParallelInvocation: true})
	if err != nil {
		t.Fatal(err)
	}
	if stats := env.sim.Stats(); rep.InvokeMode != spec.InvokeModeBuffered || stats.Requests["InvokeWithResponseStream"] != 0 || stats.Requests["Invoke"] != 10 {
		t.Errorf("mode %q, requests %v; want 10 buffered invocations", rep.InvokeMode, stats.Requests)
	}
	if res := rep.Results[0]; res.ResponseBytes != 6<<20 || res.TimeToFirstByte != 0 {
		t.Errorf("%d bytes, time to first byte %.2f; want 6 MiB and none", res.ResponseBytes, res.TimeToFirstByte)
	}
}

func TestE2EBufferedModeRefusesTooLargeResponses(t *testing.T) {
	for _, skip := range []bool{false, true} {
		t.Run("skip_failed_power_values "+strconv.FormatBool(skip), func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "large", Environment: largeResponse(eightMB)})
			_, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{512, 1024}, InvokeMode: spec.InvokeModeBuffered,
				SkipFailedPowerValues: skip})
			var step *faults.StepError
			if !errors.Is(err, faults.ErrResponseTooLarge) || !errors.As(err, &step) || step.Operation != "Invoke" {
				t.Fatalf("error = %v, want an Invoke StepError wrapping ErrResponseTooLarge", err)
			}
			for _, want := range []string{"6291556 bytes", `invoke_mode = "stream"`} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if n := env.sim.Stats().Requests["InvokeWithResponseStream"]; n != 0 {
				t.Errorf("%d streamed invocations in buffered mode", n)
			}
		})
	}
}

// A streamed invocation's function error (InvokeComplete's ErrorCode and
// ErrorDetails) takes the paths a buffered one does.
func TestE2EStreamedFunctionErrorsAreHandledLikeBufferedOnes(t *testing.T) {
	failing := cpuBound(map[string]string{"SIM_ERROR_RATE": "1", "SIM_ERROR_TYPE": "TypeError", "SIM_ERROR_MESSAGE": "boom"})
	oom := cpuBound(map[string]string{"SIM_MIN_MEMORY": "256"})
	for _, mode := range []string{spec.InvokeModeBuffered, spec.InvokeModeStream} {
		t.Run(mode, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			operation := map[string]string{spec.InvokeModeBuffered: "Invoke", spec.InvokeModeStream: "InvokeWithResponseStream"}[mode]

			arn := env.addFunction(lambdasim.FunctionSpec{Name: "failing", Environment: failing})
			_, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{512}, InvokeMode: mode, Payload: ptrTo(`{"n":1}`)})
			var step *faults.StepError
			var fe *faults.FunctionError
			if !errors.As(err, &step) || step.Operation != operation || !errors.As(err, &fe) ||
				fe.ErrorType != "TypeError" || fe.ErrorMessage != "boom" || fe.Payload != `{"n":1}` || fe.Source != "RAM512" {
				t.Fatalf("error = %v, want a %s StepError with the function's TypeError, its message, request and alias", err, operation)
			}

			_, err = env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{512}, InvokeMode: mode, AllowedExceptions: []string{"TypeError"}})
			if !errors.Is(err, faults.ErrNoSuccessfulPowerValue) || !strings.Contains(err.Error(), "5 of 5 invocations ended in an allowed exception") {
				t.Errorf("allowed: error = %v, want every invocation counted as an allowed exception", err)
			}

			arn = env.addFunction(lambdasim.FunctionSpec{Name: "hungry", Environment: oom})
			rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 512}, InvokeMode: mode, SkipFailedPowerValues: true})
			if err != nil {
				t.Fatal(err)
			}
			if small, big := rep.Results[0], rep.Results[1]; !small.Failed || !strings.Contains(small.FailureReason, "Runtime.OutOfMemory") || big.Failed || rep.OptimalPower != 512 {
				t.Errorf("results %+v, want 128 MB skipped for Runtime.OutOfMemory and 512 MB chosen", rep.Results)
			}
		})
	}
}

// Parallel streams on one client share nothing but the connection pool:
// the SDK's shared event decoder state is a data race under -race.
func TestE2EParallelStreamsAreRaceFree(t *testing.T) {
	env := startSim(t, lambdasim.Options{TimeScale: 0.001})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "parallel", Environment: largeResponse(256 << 10)})
	var streams atomic.Int32
	count := func(c *Config) {
		c.Clients = wrappedClients{env.clients, func(l awsapi.LambdaAPI) awsapi.LambdaAPI { return &countingStreams{LambdaAPI: l, n: &streams} }}
	}
	rep, err := env.runTuning(arn, spec.Input{Num: 10, PowerValues: []int32{512, 1024}, ParallelInvocation: true,
		InvokeMode: spec.InvokeModeStream, PostProcessorARN: env.addFunction(lambdasim.FunctionSpec{Name: "post"})}, count)
	if err != nil {
		t.Fatal(err)
	}
	if streams.Load() != 20 || env.sim.Stats().MaxInFlight < 2 {
		t.Errorf("%d streams, at most %d at once; want 20, overlapping", streams.Load(), env.sim.Stats().MaxInFlight)
	}
	for _, res := range rep.Results {
		if res.ResponseBytes != 256<<10 {
			t.Errorf("%d MB: %d bytes per response, want 256 KiB", res.Power, res.ResponseBytes)
		}
	}
}

type countingStreams struct {
	awsapi.LambdaAPI
	n *atomic.Int32
}

func (l *countingStreams) InvokeWithResponseStream(ctx context.Context, in *lambda.InvokeWithResponseStreamInput, o ...func(*lambda.Options)) (*lambda.InvokeWithResponseStreamOutput, error) {
	l.n.Add(1)
	return l.LambdaAPI.InvokeWithResponseStream(ctx, in, o...)
}

// A streamed response over what an invocation request carries cannot be
// handed to the post-processor: the run says so instead of sending it.
func TestE2EPostProcessorIsNotSentAResponseOverTheRequestLimit(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "large", Environment: largeResponse(eightMB)})
	post := env.addFunction(lambdasim.FunctionSpec{Name: "post"})
	_, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{1024}, InvokeMode: spec.InvokeModeStream, PostProcessorARN: post})
	var step *faults.StepError
	if !errors.As(err, &step) || step.Function != post || !strings.Contains(err.Error(), "8388608 bytes") || !strings.Contains(err.Error(), "6291456 bytes") {
		t.Fatalf("error = %v, want one naming the post-processor, the response's size and the request limit", err)
	}
	if n := env.sim.Calls().ForFunction("post").Operations()["Invoke"]; n != 0 {
		t.Errorf("the post-processor was invoked %d times", n)
	}
}

// A cold-start run that switches to streaming loses one cold start (the
// refused buffered attempt started the environment) and is told so.
func TestE2EAutoModeSwitchTellsAColdStartRunItLostOne(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "large", Environment: largeResponse(eightMB)})
	rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{1024}, OnlyColdStarts: true})
	if err != nil {
		t.Fatal(err)
	}
	if env.sim.Stats().ColdStarts != 5 {
		t.Errorf("%d cold starts, want one per variant, the refused attempt's included", env.sim.Stats().ColdStarts)
	}
	var told bool
	for _, w := range rep.Warnings {
		told = told || (strings.Contains(w, "only_cold_starts") && strings.Contains(w, "alias RAM1024-0") && strings.Contains(w, `invoke_mode = "stream"`))
	}
	if !told {
		t.Errorf("warnings %q, want one naming the variant whose cold start was lost and invoke_mode = \"stream\"", rep.Warnings)
	}
}
