package managed

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"golang.org/x/sync/semaphore"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// measured is one setting's load and the instance hours its version ran.
type measured struct {
	load          analysis.ManagedLoad
	instanceHours float64
	requests      int
}

// label names a setting's copy: memory, memory per vCPU, concurrency.
func settingLabel(s analysis.ManagedSetting) string {
	return fmt.Sprintf("%d-%g-%d", s.Power, s.MemoryPerVCPU, s.Concurrency)
}

// measureSetting creates the setting's copy, and once the budget has room
// publishes its version, ramps and holds the load; the copy is deleted
// whatever happens.
func (t *Tuner) measureSetting(ctx context.Context, s analysis.ManagedSetting, b *budget, creating *semaphore.Weighted) (m measured, err error) {
	name := t.env.Copies.NameFor(settingLabel(s))
	m.load.Setting = s
	defer func() {
		// Left to the run's clean-up, which tries again and reports.
		if derr := t.env.Copies.Delete(ctx, name); derr == nil {
			t.note(s, "copy deleted")
		}
	}()
	if err := creating.Acquire(ctx, 1); err != nil {
		return m, err
	}
	err = t.env.Copies.Create(ctx, name, s.Power, t.configure(s))
	creating.Release(1)
	if err != nil {
		return m, err
	}
	t.note(s, "copy %s created", name)

	envs := t.startingEnvironments(s)
	release, err := b.take(ctx, vcpusOf(s, envs), callersOf(s, envs))
	if err != nil {
		return m, err
	}
	defer release()
	clk := t.env.Fn.Waiter().Clock
	published := clk.Now()
	version, err := t.publish(ctx, name, s)
	if err != nil {
		return m, err
	}
	defer func() { m.instanceHours = t.instanceHours(s, clk.Now().Sub(published)) }()
	t.note(s, "version %s active, %d environments", version, envs)
	m.load, m.requests, err = t.rampAndHold(ctx, s, envs, t.invoker(name, version, s.Power))
	return m, err
}

// configure puts the copy on the capacity provider with the setting.
func (t *Tuner) configure(s analysis.ManagedSetting) func(*lambda.CreateFunctionInput) {
	return func(in *lambda.CreateFunctionInput) {
		in.CapacityProviderConfig = &types.CapacityProviderConfig{
			LambdaManagedInstancesCapacityProviderConfig: &types.LambdaManagedInstancesCapacityProviderConfig{
				CapacityProviderArn:                   aws.String(t.provider.arn),
				ExecutionEnvironmentMemoryGiBPerVCpu:  aws.Float64(s.MemoryPerVCPU),
				PerExecutionEnvironmentMaxConcurrency: aws.Int32(int32(s.Concurrency)),
			}}
		// Lambda Managed Instances take no SnapStart: callers meet no
		// cold start to shorten.
		in.SnapStart = nil
	}
}

// publish publishes the copy's version, which starts its environments, and
// waits until it is Active: only then may it be invoked.
func (t *Tuner) publish(ctx context.Context, name string, s analysis.ManagedSetting) (string, error) {
	fn, w := t.env.Fn, t.env.Fn.Waiter()
	sent := w.Clock.Now()
	var version string
	err := fn.Mutate(ctx, func(ctx context.Context) error {
		out, err := fn.Lambda().PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
		if err == nil {
			version = aws.ToString(out.Version)
		}
		return err
	})
	if err != nil {
		return "", &faults.StepError{Operation: "PublishVersion", Function: name, Power: s.Power, Err: fmt.Errorf("copy of %s for %s: %w", fn.ARN(), s, err)}
	}
	exp := waiter.Expect{Key: "start managed versions of " + fn.ARN(), Since: sent, Ours: true, FirstPoll: 2 * w.Min}
	err = w.Poll(ctx, exp, func(ctx context.Context) (bool, string, error) {
		out, err := fn.Lambda().GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name), Qualifier: aws.String(version)})
		if err != nil {
			return false, "", err
		}
		switch out.State {
		case types.StateActive:
			return true, "", nil
		case types.StateFailed:
			return false, "", fmt.Errorf("the version failed to start: %s (%s)", aws.ToString(out.StateReason), out.StateReasonCode)
		}
		return false, "the version is still " + string(out.State), nil
	})
	if err != nil {
		return "", &faults.StepError{Operation: "GetFunctionConfiguration", Function: name, Power: s.Power,
			Err: fmt.Errorf("waiting for version %s of the copy of %s for %s to become Active: %w", version, fn.ARN(), s, err)}
	}
	return version, nil
}

// rampAndHold ramps the invocations in flight and holds the best level for
// load_seconds; requests counts every invocation it made.
func (t *Tuner) rampAndHold(ctx context.Context, s analysis.ManagedSetting, envs int, invoke invokeFunc) (analysis.ManagedLoad, int, error) {
	clk := t.env.Fn.Waiter().Clock
	held := time.Duration(t.m.LoadDuration()) * time.Second
	out := analysis.ManagedLoad{Setting: s, Environments: envs}
	var (
		best     level
		bestPer  int
		requests int
	)
	for _, per := range rampLevels(s.Concurrency) {
		callers := min(per*envs, maxCallers)
		l, err := hold(ctx, clk, callers, rampStep(held), requests, invoke)
		if err != nil {
			return out, requests, err
		}
		requests += l.succeeded + l.errors + l.throttles
		t.note(s, "ramp: %d in flight, %.1f requests/s, %d throttled, %d failed", callers, l.throughput(), l.throttles, l.errors)
		if bestPer == 0 || better(l, best) {
			best, bestPer = l, per
		}
		if !clean(l) || bestPer != per {
			break // throttled, failing, or no longer rising
		}
	}
	if best.succeeded == 0 {
		out.Failure = fmt.Sprintf("no invocation succeeded at %d in flight: %d failed, %d throttled", best.callers, best.errors, best.throttles)
		if best.failure != "" {
			out.Failure += "; the function failed with " + best.failure
		}
		t.note(s, "%s", out.Failure)
		return out, requests, nil
	}
	l, err := hold(ctx, clk, best.callers, held, requests, invoke)
	if err != nil {
		return out, requests, err
	}
	requests += l.succeeded + l.errors + l.throttles
	out.Seconds, out.InFlight = l.seconds, bestPer
	out.Succeeded, out.Errors, out.Throttles, out.LatenciesMs = l.succeeded, l.errors, l.throttles, l.latencies
	t.note(s, "held %d in flight for %.0f s: %.1f requests/s, %d throttled, %d failed", l.callers, l.seconds, l.throughput(), l.throttles, l.errors)
	return out, requests, nil
}
