package tuning

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
)

// cpuBound is a simulated function whose duration shrinks with memory up to
// one vCPU, with a little I/O and seeded noise.
func cpuBound(extra map[string]string) map[string]string {
	env := map[string]string{"SIM_CPU_MS": "100", "SIM_IO_MS": "20", "SIM_NOISE": "0.05"}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// runTuning runs in on the emulator and checks the function is as before.
func (env *simEnv) runTuning(arn string, in spec.Input, mods ...func(*Config)) (*report.Report, error) {
	env.t.Helper()
	before := env.state(arn)
	in.LambdaARN = arn
	rep, err := env.engine(mods...).Run(context.Background(), in)
	env.assertRestored(arn, before)
	return rep, err
}

func TestE2EStrategiesChooseTheirOptimum(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "strategies", MemorySize: 384, Description: "keep me", Environment: cpuBound(nil)})
	powers := []int32{128, 512, 1024, 2048}

	score := func(rep *report.Report, weight float64) func(analysis.PowerResult) float64 {
		var maxCost, maxDuration float64
		for _, r := range rep.Results {
			maxCost, maxDuration = max(maxCost, r.AverageCost), max(maxDuration, r.AverageDuration)
		}
		return func(r analysis.PowerResult) float64 {
			return weight*r.AverageCost/maxCost + (1-weight)*r.AverageDuration/maxDuration
		}
	}
	tests := []struct {
		strategy analysis.Strategy
		weight   *float64
		key      func(rep *report.Report) func(analysis.PowerResult) float64
	}{
		{analysis.StrategyCost, nil, func(*report.Report) func(analysis.PowerResult) float64 {
			return func(r analysis.PowerResult) float64 { return r.AverageCost }
		}},
		{analysis.StrategySpeed, nil, func(*report.Report) func(analysis.PowerResult) float64 {
			return func(r analysis.PowerResult) float64 { return r.AverageDuration }
		}},
		{analysis.StrategyBalanced, ptrTo(0.3), func(rep *report.Report) func(analysis.PowerResult) float64 { return score(rep, 0.3) }},
	}
	for _, tt := range tests {
		t.Run(string(tt.strategy), func(t *testing.T) {
			env.t = t
			rep, err := env.runTuning(arn, spec.Input{Num: 10, PowerValues: powers, Strategy: tt.strategy, BalancedWeight: tt.weight})
			if err != nil {
				t.Fatal(err)
			}
			key := tt.key(rep)
			best := slices.MinFunc(rep.Results, func(a, b analysis.PowerResult) int {
				return cmpFloat(key(a), key(b))
			})
			if rep.OptimalPower != best.Power {
				t.Errorf("optimal power = %d, want %d (results %+v)", rep.OptimalPower, best.Power, rep.Results)
			}
			if rep.OptimalCost != best.AverageCost || rep.OptimalDuration != best.AverageDuration {
				t.Errorf("optimal cost/duration = %v/%v, want %v/%v", rep.OptimalCost, rep.OptimalDuration, best.AverageCost, best.AverageDuration)
			}
		})
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestE2EReportIsComplete(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "report", MemorySize: 256, Environment: cpuBound(nil)})
	clock := tuningtest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("X", 3600)))
	in := spec.Input{Num: 8, PowerValues: []int32{1024, 128, 512}, IncludeOutputResults: true}
	rep, err := env.runTuning(arn, in, func(c *Config) {
		c.Clock = clock
		c.VisualizationURL = "https://example.test/viz/"
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kind != report.Kind || rep.FunctionARN != arn || rep.Region != "us-east-1" ||
		rep.Architecture != "x86_64" || rep.Currency != "USD" || rep.FunctionCodeSha256 == "" {
		t.Errorf("identity fields wrong: %+v", rep)
	}
	if rep.Input.LambdaARN != arn || rep.Input.Num != 8 {
		t.Errorf("report input = %+v", rep.Input)
	}
	var powers []int32
	var total float64
	for _, r := range rep.Results {
		powers = append(powers, r.Power)
		total += r.TotalCost
		if r.Invocations != 8 || r.Errors != 0 || r.AverageDuration <= 0 || r.P50Duration <= 0 ||
			r.P90Duration < r.P50Duration || r.P99Duration < r.P90Duration {
			t.Errorf("result %+v is incomplete", r)
		}
	}
	if !slices.Equal(powers, []int32{128, 512, 1024}) {
		t.Errorf("results are for %v, want ascending 128, 512, 1024", powers)
	}
	if math.Abs(rep.TuningCost-total) > 1e-15 {
		t.Errorf("tuning cost %v, want the sum of total costs %v", rep.TuningCost, total)
	}
	if want := analysis.VisualizationURL("https://example.test/viz/", rep.Results, "USD"); rep.VisualizationURL != want {
		t.Errorf("visualization URL %q, want %q", rep.VisualizationURL, want)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(rep.Output), &out); err != nil {
		t.Fatalf("output is not JSON: %v: %s", err, rep.Output)
	}
	if out["power"] != float64(rep.OptimalPower) || out["stats"] == nil {
		t.Errorf("output %s does not match the optimum %d or lacks stats", rep.Output, rep.OptimalPower)
	}
	if !rep.TunedAt.Equal(clock.Now()) || rep.TunedAt.Location() != time.UTC {
		t.Errorf("TunedAt = %v, want the clock's now in UTC (%v)", rep.TunedAt, clock.Now().UTC())
	}
}

func TestE2EPowerValuesAllAndDefaults(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "all", Environment: cpuBound(nil)})

	rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValuesAll: true, ParallelInvocation: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 46 || rep.Results[0].Power != 128 || rep.Results[45].Power != 3008 {
		t.Errorf("power_values_all ran %d power values (%d..%d), want 46 from 128 to 3008",
			len(rep.Results), rep.Results[0].Power, rep.Results[len(rep.Results)-1].Power)
	}

	rep, err = env.runTuning(arn, spec.Input{Num: 5}, func(c *Config) { c.PowerValues = []int32{256, 640} })
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 2 || rep.Results[0].Power != 256 || rep.Results[1].Power != 640 {
		t.Errorf("deployment default power values not used: %+v", rep.Results)
	}
}

func TestE2EWeightedPayloadIsLaidOutInOrder(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	rec := newRecordingClients(env.clients)
	env.clients = rec
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "weighted", Environment: cpuBound(nil)})
	payload := `[{"payload":{"kind":"a"},"weight":1},{"payload":{"kind":"b"},"weight":3}]`
	if _, err := env.runTuning(arn, spec.Input{Num: 8, PowerValues: []int32{128, 256}, Payload: &payload}); err != nil {
		t.Fatal(err)
	}
	want := []string{`{"kind":"a"}`, `{"kind":"a"}`, `{"kind":"b"}`, `{"kind":"b"}`, `{"kind":"b"}`, `{"kind":"b"}`, `{"kind":"b"}`, `{"kind":"b"}`}
	for _, alias := range []string{"RAM128", "RAM256"} {
		var got []string
		for _, c := range rec.invokesOf(arn) {
			if c.Qualifier == alias {
				got = append(got, c.Payload)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s payloads = %v, want %v", alias, got, want)
		}
	}
}

func TestE2EPayloadFromS3(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	rec := newRecordingClients(env.clients)
	env.clients = rec
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "s3payload", Environment: cpuBound(nil)})
	env.sim.PutObject("payloads", "big/event.json", []byte(`{"records":[1,2,3]}`))
	env.sim.PutObject("payloads", "text.txt", []byte(`plain text`))
	env.sim.PutObject("secret", "event.json", []byte(`{}`))
	env.sim.DenyS3("secret")

	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128}, PayloadS3: "s3://payloads/big/event.json"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128}, PayloadS3: "s3://payloads/text.txt"}); err != nil {
		t.Fatal(err)
	}
	calls := rec.invokesOf(arn)
	if len(calls) != 10 || calls[0].Payload != `{"records":[1,2,3]}` || calls[9].Payload != `"plain text"` {
		t.Errorf("invocations did not carry the S3 payloads: %+v", calls)
	}

	for uri, want := range map[string]error{
		"s3://payloads/missing.json": faults.ErrPayloadNotFound,
		"s3://nobucket/event.json":   faults.ErrPayloadNotFound,
		"s3://secret/event.json":     faults.ErrPayloadAccessDenied,
	} {
		_, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128}, PayloadS3: uri})
		var step *faults.StepError
		if !errors.Is(err, want) || !errors.As(err, &step) || step.Operation != "GetObject" || !strings.Contains(err.Error(), uri) {
			t.Errorf("%s: error = %v, want a GetObject StepError wrapping %v and naming the URI", uri, err, want)
		}
	}
	if got := len(rec.invokesOf(arn)); got != 10 {
		t.Errorf("a run with an unreadable payload invoked the function (%d invocations, want 10)", got-10)
	}
}

func TestE2EPreAndPostProcessors(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	rec := newRecordingClients(env.clients)
	env.clients = rec
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "processed", Environment: cpuBound(map[string]string{"SIM_OUTPUT": `{"result":42}`})})
	pre := env.addFunction(lambdasim.FunctionSpec{Name: "pre", Environment: map[string]string{"SIM_OUTPUT": `{"prepared":true}`}})
	post := env.addFunction(lambdasim.FunctionSpec{Name: "post", Environment: map[string]string{"SIM_OUTPUT": `null`}})
	payload := `{"raw":1}`

	_, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 256}, Payload: &payload,
		PreProcessorARN: pre, PostProcessorARN: post})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rec.invokesOf(pre) {
		if c.Payload != payload {
			t.Errorf("pre-processor got %s, want the payload %s", c.Payload, payload)
		}
	}
	for _, c := range rec.invokesOf(arn) {
		if c.Payload != `{"prepared":true}` {
			t.Errorf("function got %s, want the pre-processor's output", c.Payload)
		}
	}
	for _, c := range rec.invokesOf(post) {
		if c.Payload != `{"result":42}` {
			t.Errorf("post-processor got %s, want the function's output", c.Payload)
		}
	}
	if n, m, k := len(rec.invokesOf(pre)), len(rec.invokesOf(arn)), len(rec.invokesOf(post)); n != 10 || m != 10 || k != 10 {
		t.Errorf("invocations pre/function/post = %d/%d/%d, want 10 each", n, m, k)
	}

	// An empty (null) pre-processor answer keeps the payload.
	rec.calls = nil
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128}, Payload: &payload, PreProcessorARN: post}); err != nil {
		t.Fatal(err)
	}
	if calls := rec.invokesOf(arn); len(calls) != 5 || calls[0].Payload != payload {
		t.Errorf("a null pre-processor answer replaced the payload: %+v", calls)
	}

	// A failing processor fails the run, naming the processor.
	broken := env.addFunction(lambdasim.FunctionSpec{Name: "broken", Environment: map[string]string{
		"SIM_ERROR_RATE": "1", "SIM_ERROR_TYPE": "ProcessorError"}})
	for _, in := range []spec.Input{
		{Num: 5, PowerValues: []int32{128, 256}, PreProcessorARN: broken},
		{Num: 5, PowerValues: []int32{128, 256}, PostProcessorARN: broken},
	} {
		_, err := env.runTuning(arn, in)
		var step *faults.StepError
		var fe *faults.FunctionError
		if !errors.As(err, &step) || step.Function != broken || !errors.As(err, &fe) || fe.ErrorType != "ProcessorError" {
			t.Errorf("processor failure: error = %v, want a StepError on %s with a ProcessorError", err, broken)
		}
	}
}

// A processor that does not exist stops the run before the function is
// reconfigured or invoked, on the processor's attribute.
func TestE2EMissingProcessorChangesNothing(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "fn", Environment: cpuBound(nil)})
	missing := "arn:aws:lambda:us-east-1:123456789012:function:no-such-post"
	for attribute, in := range map[string]spec.Input{
		"pre_processor_arn":  {Num: 5, PowerValues: []int32{128, 256}, PreProcessorARN: missing},
		"post_processor_arn": {Num: 5, PowerValues: []int32{128, 256}, PostProcessorARN: missing},
	} {
		before := env.sim.Stats().Requests
		_, err := env.runTuning(arn, in)
		var inputErr *spec.InputError
		var step *faults.StepError
		if !errors.As(err, &inputErr) || inputErr.Attribute != attribute || !errors.As(err, &step) ||
			step.Operation != "GetFunctionConfiguration" || faults.Classify(err) != faults.ClassNotFound {
			t.Errorf("%s: error = %v, want an InputError on it wrapping a not-found GetFunctionConfiguration", attribute, err)
		}
		after := env.sim.Stats().Requests
		for _, op := range []string{"UpdateFunctionConfiguration", "PublishVersion", "CreateAlias", "Invoke"} {
			if after[op] != before[op] {
				t.Errorf("%s: %d %s calls before the missing processor was found", attribute, after[op]-before[op], op)
			}
		}
	}
}

func TestE2EOnlyColdStarts(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		t.Run(map[bool]string{false: "serial", true: "parallel"}[parallel], func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			rec := newRecordingClients(env.clients)
			env.clients = rec
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "cold", Description: "user text", Environment: cpuBound(nil)})
			var events recorder
			rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 512}, OnlyColdStarts: true, ParallelInvocation: parallel},
				func(c *Config) { c.Progress = events.record })
			if err != nil {
				t.Fatal(err)
			}
			stats := env.sim.Stats()
			if stats.Invocations != 10 || stats.ColdStarts != 10 {
				t.Errorf("invocations/cold starts = %d/%d, want 10/10", stats.Invocations, stats.ColdStarts)
			}
			var qualifiers []string
			for _, c := range rec.invokesOf(arn) {
				qualifiers = append(qualifiers, c.Qualifier)
			}
			slices.Sort(qualifiers)
			want := []string{"RAM128-0", "RAM128-1", "RAM128-2", "RAM128-3", "RAM128-4", "RAM512-0", "RAM512-1", "RAM512-2", "RAM512-3", "RAM512-4"}
			if !slices.Equal(qualifiers, want) {
				t.Errorf("invoked %v, want one invocation per cold-start alias %v", qualifiers, want)
			}
			for _, r := range rep.Results {
				if r.Invocations != 5 {
					t.Errorf("%d MB: %d invocations, want 5", r.Power, r.Invocations)
				}
			}
		})
	}
}

func TestE2EDryRun(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "dry", MemorySize: 512, Environment: cpuBound(nil)})
	rep, err := env.runTuning(arn, spec.Input{Num: 20, PowerValues: []int32{128, 256, 1024}, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := env.sim.Stats().Invocations; got != 3 {
		t.Errorf("dry run made %d invocations, want one per power value (3)", got)
	}
	if rep.OptimalPower != 0 || rep.Output != "" || rep.VisualizationURL != "" || len(rep.Results) != 3 {
		t.Errorf("dry run report = %+v, want results but no optimum", rep)
	}
}

func TestE2EAutoOptimizeWithoutAlias(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "optlatest", MemorySize: 256, Description: "d", Environment: cpuBound(nil)})
	before := env.state(arn)
	rep, err := env.engine().Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 1024, 2048},
		Strategy: analysis.StrategySpeed, AutoOptimize: true})
	if err != nil {
		t.Fatal(err)
	}
	after := env.state(arn)
	if after.Memory != rep.OptimalPower || rep.OptimalPower == before.Memory {
		t.Errorf("$LATEST memory = %d, want the optimum %d", after.Memory, rep.OptimalPower)
	}
	if after.Description != "d" || !slices.Equal(after.Versions, before.Versions) || len(after.Aliases) != 0 {
		t.Errorf("after auto_optimize: %+v, want description, versions and aliases as before (%+v)", after, before)
	}
}

func TestE2EAutoOptimizeWithAlias(t *testing.T) {
	for _, existing := range []bool{false, true} {
		t.Run(map[bool]string{false: "new alias", true: "existing alias"}[existing], func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "optalias", MemorySize: 256, Description: "d", Environment: cpuBound(nil)})
			lam := env.lambda("us-east-1")
			ctx := context.Background()
			if existing {
				v, err := lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: &arn, Name: aws.String("prod"), FunctionVersion: v.Version}); err != nil {
					t.Fatal(err)
				}
			}
			before := env.state(arn)
			rep, err := env.engine().Run(ctx, spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 1024, 2048},
				Strategy: analysis.StrategySpeed, AutoOptimize: true, AutoOptimizeAlias: "prod"})
			if err != nil {
				t.Fatal(err)
			}
			after := env.state(arn)
			if after.Memory != before.Memory || after.Description != before.Description {
				t.Errorf("$LATEST = %d MB %q, want it restored to %d MB %q", after.Memory, after.Description, before.Memory, before.Description)
			}
			if len(after.Versions) != len(before.Versions)+1 {
				t.Fatalf("versions %v → %v, want exactly one more (the alias's)", before.Versions, after.Versions)
			}
			target := after.Aliases["prod"]
			if !slices.Contains(after.Versions, target) || slices.Contains(before.Versions, target) {
				t.Errorf("alias prod points to %q, want the new version", target)
			}
			c, err := lam.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: &arn, Qualifier: aws.String("prod")})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToInt32(c.MemorySize) != rep.OptimalPower || aws.ToString(c.Description) != "d" {
				t.Errorf("alias prod runs %d MB %q, want the optimum %d MB with the function's description", aws.ToInt32(c.MemorySize), aws.ToString(c.Description), rep.OptimalPower)
			}
			for name := range after.Aliases {
				if name != "prod" {
					t.Errorf("alias %s remains", name)
				}
			}
		})
	}
}

func TestE2EAllowedExceptions(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "flaky", Environment: cpuBound(map[string]string{
		"SIM_ERROR_RATE": "0.3", "SIM_ERROR_TYPE": "FlakyError", "SIM_ERROR_MESSAGE": "sometimes"})})
	payload := `{"secret":"s3cr3t"}`

	rep, err := env.runTuning(arn, spec.Input{Num: 20, PowerValues: []int32{128, 256}, Payload: &payload, AllowedExceptions: []string{"Other", "FlakyError"}})
	if err != nil {
		t.Fatal(err)
	}
	var errs int
	for _, r := range rep.Results {
		errs += r.Errors
		if r.Invocations != 20 {
			t.Errorf("%d MB: %d invocations, want 20", r.Power, r.Invocations)
		}
	}
	if errs == 0 {
		t.Error("allowed exceptions were not counted as errors")
	}

	for _, hidden := range []struct{ disableLogs, writeOnly bool }{{false, false}, {true, false}, {false, true}} {
		disable := hidden.disableLogs || hidden.writeOnly
		_, err = env.runTuning(arn, spec.Input{Num: 20, PowerValues: []int32{128, 256}, Payload: &payload,
			DisablePayloadLogs: hidden.disableLogs, PayloadWriteOnly: hidden.writeOnly})
		var fe *faults.FunctionError
		var step *faults.StepError
		if !errors.As(err, &fe) || !errors.As(err, &step) || step.Operation != "Invoke" {
			t.Fatalf("error = %v, want an Invoke StepError with a FunctionError", err)
		}
		if fe.ErrorType != "FlakyError" || fe.ErrorMessage != "sometimes" || len(fe.StackTrace) == 0 {
			t.Errorf("function error = %+v, want type, message and trace", fe)
		}
		if got := strings.Contains(err.Error(), "s3cr3t"); got == disable {
			t.Errorf("disable_payload_logs=%v, payload_wo=%v: payload in error = %v: %v", hidden.disableLogs, hidden.writeOnly, got, err)
		}
	}
}

func TestE2ESkipFailedPowerValues(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "hungry", Environment: cpuBound(map[string]string{"SIM_MIN_MEMORY": "400"})})
	in := spec.Input{Num: 5, PowerValues: []int32{128, 256, 512, 1024}, SkipFailedPowerValues: true}
	rep, err := env.runTuning(arn, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		wantFailed := r.Power < 400
		if r.Failed != wantFailed || (wantFailed && !strings.Contains(r.FailureReason, "OutOfMemory")) {
			t.Errorf("%d MB: failed=%v reason=%q, want failed=%v with an out-of-memory reason", r.Power, r.Failed, r.FailureReason, wantFailed)
		}
		if wantFailed && r.Invocations != 1 {
			t.Errorf("%d MB: %d invocations after the first failure, want the power value abandoned", r.Power, r.Invocations)
		}
	}
	if rep.OptimalPower < 512 {
		t.Errorf("optimum %d MB is a failed power value", rep.OptimalPower)
	}
	if want := analysis.VisualizationURL(analysis.DefaultVisualizationURL, rep.Results[2:], "USD"); rep.VisualizationURL != want {
		t.Errorf("visualization URL = %s, want the chart of the power values that did not fail, %s", rep.VisualizationURL, want)
	}

	in.SkipFailedPowerValues = false
	_, err = env.runTuning(arn, in)
	var fe *faults.FunctionError
	if !errors.As(err, &fe) || fe.ErrorType != "Runtime.OutOfMemory" {
		t.Errorf("without skip_failed_power_values: error = %v, want the out-of-memory failure", err)
	}

	in.SkipFailedPowerValues = true
	in.PowerValues = []int32{128, 256}
	if _, err := env.runTuning(arn, in); !errors.Is(err, faults.ErrNoSuccessfulPowerValue) {
		t.Errorf("every power value failed: error = %v, want ErrNoSuccessfulPowerValue", err)
	}
}

func TestE2ELogFormats(t *testing.T) {
	for _, format := range []string{"Text", "JSON"} {
		t.Run(format, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "logs", LogFormat: format,
				Environment: cpuBound(map[string]string{"SIM_LOG_BYTES": "6000"})})
			rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 1024}})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Results[0].AverageDuration <= rep.Results[1].AverageDuration || rep.Results[1].AverageDuration <= 0 {
				t.Errorf("durations not read from %s logs: %+v", format, rep.Results)
			}
		})
	}
}

func TestE2ERegionsAndPrices(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	prices := analysis.PriceTable{Overrides: map[analysis.PriceKey]analysis.Price{
		{Region: "eu-west-1", Architecture: "x86_64"}: {PerRequest: 0.25, Currency: "USD"},
		{Region: "eu-west-1", Architecture: "arm64"}:  {PerRequest: 0.5, Currency: "USD"},
	}}
	withPrices := func(c *Config) { c.Prices = prices }

	tests := []struct {
		name, region, arch, currency string
		perRequest                   float64
	}{
		{"cross-region x86", "eu-west-1", "x86_64", "USD", 0.25},
		{"cross-region arm64", "eu-west-1", "arm64", "USD", 0.5},
		{"china", "cn-north-1", "x86_64", "CNY", analysis.PriceTable{}.Lookup("cn-north-1", "x86_64").PerRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.t = t
			arn := env.addFunction(lambdasim.FunctionSpec{Name: strings.ReplaceAll(tt.name, " ", "-"), Region: tt.region,
				Architecture: tt.arch, Environment: cpuBound(nil)})
			rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 256}}, withPrices)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Region != tt.region || rep.Architecture != tt.arch || rep.Currency != tt.currency {
				t.Errorf("region/arch/currency = %s/%s/%s, want %s/%s/%s", rep.Region, rep.Architecture, rep.Currency, tt.region, tt.arch, tt.currency)
			}
			for _, r := range rep.Results {
				if math.Abs(r.TotalCost-float64(r.Invocations)*tt.perRequest) > 0.01*tt.perRequest*float64(r.Invocations) &&
					tt.currency == "USD" {
					t.Errorf("%d MB total cost %v, want %d × %v from the %s price", r.Power, r.TotalCost, r.Invocations, tt.perRequest, tt.arch)
				}
			}
			if (tt.currency == "CNY") != strings.Contains(rep.VisualizationURL, "currency=CNY") {
				t.Errorf("visualization URL %s and currency %s disagree", rep.VisualizationURL, tt.currency)
			}
		})
	}
}

func TestE2EParallelHonoursMaxConcurrency(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	rec := newRecordingClients(env.clients)
	rec.holdUntil, rec.holdFor = 4, 50*time.Millisecond // more than the cap, so only the cap limits
	env.clients = rec
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "parallel", Environment: cpuBound(nil)})

	if _, err := env.runTuning(arn, spec.Input{Num: 12, PowerValues: []int32{128}, ParallelInvocation: true, MaxConcurrency: 3}); err != nil {
		t.Fatal(err)
	}
	if got := rec.peakInFlight("RAM128"); got != 3 {
		t.Errorf("peak in-flight invocations = %d, want max_concurrency 3", got)
	}

	rec.holdUntil = 1
	if _, err := env.runTuning(arn, spec.Input{Num: 6, PowerValues: []int32{256}}); err != nil {
		t.Fatal(err)
	}
	if got := rec.peakInFlight("RAM256"); got != 1 {
		t.Errorf("serial mode had %d invocations in flight", got)
	}
}

func TestE2ESleepBetweenRuns(t *testing.T) {
	env := startSim(t, lambdasim.Options{UpdateDelay: time.Nanosecond})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "sleepy", Environment: cpuBound(nil)})
	clock := tuningtest.NewClock(time.Unix(0, 0))
	pause := 1234 * time.Millisecond
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 256}, SleepBetweenRunsMs: 1234},
		func(c *Config) { c.Clock = clock }); err != nil {
		t.Fatal(err)
	}
	var pauses int
	for _, d := range clock.Sleeps() {
		if d == pause {
			pauses++
		}
	}
	if pauses != 2*4 {
		t.Errorf("slept %d times for sleep_between_runs_ms, want 8 (between the 5 invocations of 2 power values)", pauses)
	}
}
