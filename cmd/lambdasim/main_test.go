package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go"
)

func TestRunServesUntilCancelled(t *testing.T) {
	dir := t.TempDir()
	preload := filepath.Join(dir, "preload.json")
	if err := os.WriteFile(preload, []byte(`{"functions":[{"name":"demo","memory_size":256,"environment":{"SIM_CPU_MS":"300"}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-seed", "3", "-update-delay", "0s", "-memory-quota", "3008",
			"-config", preload, "-fault", "op=GetAlias,status=503,count=1"}, w, io.Discard)
		_ = w.Close()
	}()

	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatalf("no output; run returned %v", <-done)
	}
	first := lines.Text()
	url, ok := strings.CutPrefix(first, "lambdasim listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line = %q", first)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()

	c := lambda.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}, func(o *lambda.Options) { o.BaseEndpoint = aws.String(url) })
	rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
	defer rcancel()
	fn, err := c.GetFunction(rctx, &lambda.GetFunctionInput{FunctionName: aws.String("demo")})
	if err != nil {
		t.Fatalf("GetFunction of the preloaded function: %v", err)
	}
	if aws.ToInt32(fn.Configuration.MemorySize) != 256 {
		t.Errorf("MemorySize = %d", aws.ToInt32(fn.Configuration.MemorySize))
	}
	_, err = c.UpdateFunctionConfiguration(rctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("demo"), MemorySize: aws.Int32(4096)})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ValidationException" {
		t.Errorf("-memory-quota 3008 must refuse 4096 MB: %v", err)
	}
	_, err = c.GetAlias(rctx, &lambda.GetAliasInput{FunctionName: aws.String("demo"), Name: aws.String("a")})
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ServiceUnavailableException" {
		t.Errorf("the -fault flag must inject a 503: %v", err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after its context ended")
	}
}

func TestDelayJitterFlag(t *testing.T) {
	st, err := parseArgs([]string{"-update-delay", "3s", "-delay-jitter", "0.25"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if st.opts.DelayJitter != 0.25 || st.opts.UpdateDelay != 3*time.Second {
		t.Errorf("DelayJitter %v, UpdateDelay %s; want 0.25 and 3s", st.opts.DelayJitter, st.opts.UpdateDelay)
	}
}

func TestControlPlaneLatencyFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want time.Duration
	}{
		{nil, 0},
		{[]string{"-control-plane-latency", "120ms"}, 120 * time.Millisecond},
		{[]string{"-control-plane-latency=1.5s"}, 1500 * time.Millisecond},
	} {
		st, err := parseArgs(tc.args, io.Discard)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if st.opts.ControlPlaneLatency != tc.want {
			t.Errorf("%v: ControlPlaneLatency %s, want %s", tc.args, st.opts.ControlPlaneLatency, tc.want)
		}
	}
}

func TestQuotaFlags(t *testing.T) {
	st, err := parseArgs(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if st.opts.EnforceQuotas || st.opts.GetFunctionQuota != 100 || st.opts.ControlQuota != 15 {
		t.Errorf("defaults: enforce %v, GetFunction %d/s, control %d/s; want off, 100, 15",
			st.opts.EnforceQuotas, st.opts.GetFunctionQuota, st.opts.ControlQuota)
	}
	st, err = parseArgs([]string{"-enforce-quotas", "-getfunction-quota", "7", "-control-quota", "3"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !st.opts.EnforceQuotas || st.opts.GetFunctionQuota != 7 || st.opts.ControlQuota != 3 {
		t.Errorf("flags not applied: %+v", st.opts)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-control-quota", "0"},
		{"-delay-jitter", "1.5"},
		{"-control-plane-latency", "-50ms"},
		{"-control-plane-latency", "100"},
		{"-getfunction-quota", "-1"},
		{"-fault", "op=Invoke"},
		{"-config", "/nonexistent/preload.json", "-addr", "127.0.0.1:0"},
		{"-addr", "127.0.0.1:0", "stray"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}
