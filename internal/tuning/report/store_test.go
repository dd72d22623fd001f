package report

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// s3Env is the emulator's S3 and a client for it.
type s3Env struct {
	sim     *lambdasim.Server
	clients awsapi.Clients
}

func startS3(t *testing.T) s3Env {
	t.Helper()
	sim, err := lambdasim.Start(lambdasim.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	return s3Env{sim: sim, clients: awsapi.FromSDK(awsclient.New(cfg, awsclient.ClientOptions{S3Endpoint: sim.URL(), MaxBackoff: 2 * time.Millisecond}))}
}

func ptr[T any](v T) *T { return &v }

func TestReportRoundTripsThroughS3(t *testing.T) {
	env := startS3(t)
	s3 := env.clients.S3()
	ctx := context.Background()
	want := &Report{Kind: Kind, FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:f", OptimalPower: 512,
		Input:   spec.Input{LambdaARN: "f", Num: 10, Payload: ptr(`{"a":1}`)},
		Results: []analysis.PowerResult{{Power: 512, AverageCost: 1e-6, Invocations: 10}}, TunedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if err := WriteReport(ctx, s3, "s3://reports/runs/f.json", want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadReport(ctx, s3, "s3://reports/runs/f.json")
	if err != nil {
		t.Fatal(err)
	}
	if got.OptimalPower != 512 || got.FunctionARN != want.FunctionARN || *got.Input.Payload != `{"a":1}` ||
		!got.TunedAt.Equal(want.TunedAt) || len(got.Results) != 1 {
		t.Errorf("read back %+v, want %+v", got, want)
	}
}

// With disable_payload_logs, or a write-only payload, the stored report
// holds the payload's hash, never its text (other workspaces read it);
// triggers and the write-only payload's version are kept.
func TestStoredReportWithoutPayload(t *testing.T) {
	env := startS3(t)
	const secret = `{"token":"s3cr3t"}`
	for name, in := range map[string]spec.Input{
		"disable_payload_logs": {LambdaARN: "f", Num: 10, Payload: ptr(secret), DisablePayloadLogs: true},
		"payload_wo":           {LambdaARN: "f", Num: 10, Payload: ptr(secret), PayloadWriteOnly: true, PayloadWriteOnlyVersion: 3},
	} {
		t.Run(name, func(t *testing.T) {
			r := &Report{Kind: Kind, FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:f",
				Input: in, Triggers: map[string]string{"code": "abc"}}
			uri := "s3://reports/" + name + ".json"
			if err := WriteReport(context.Background(), env.clients.S3(), uri, r); err != nil {
				t.Fatal(err)
			}
			raw, err := getObject(context.Background(), env.clients.S3(), "reports", name+".json")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(raw), "s3cr3t") {
				t.Errorf("stored report holds the payload:\n%s", raw)
			}
			got, err := ReadReport(context.Background(), env.clients.S3(), uri)
			if err != nil {
				t.Fatal(err)
			}
			if got.Input.Payload != nil || got.PayloadSHA256 != PayloadSHA256(secret) || got.Triggers["code"] != "abc" {
				t.Errorf("read back payload %v, hash %q, triggers %v; want no payload, the hash and the triggers", got.Input.Payload, got.PayloadSHA256, got.Triggers)
			}
			if got.Input.PayloadWriteOnlyVersion != in.PayloadWriteOnlyVersion {
				t.Errorf("read back payload_wo_version %d, want %d", got.Input.PayloadWriteOnlyVersion, in.PayloadWriteOnlyVersion)
			}
			if *r.Input.Payload != secret {
				t.Error("writing the report changed the caller's report")
			}
		})
	}
}

func TestReadReportErrors(t *testing.T) {
	env := startS3(t)
	env.sim.PutObject("reports", "junk.txt", []byte("not json"))
	env.sim.PutObject("reports", "other.json", []byte(`{"kind":"something-else"}`))
	env.sim.PutObject("locked", "r.json", []byte(`{}`))
	env.sim.DenyS3("locked")
	tests := map[string]error{
		"s3://reports/missing.json": ErrReportNotFound,
		"s3://nobucket/r.json":      ErrReportNotFound,
		"s3://locked/r.json":        ErrReportAccessDenied,
		"s3://reports/junk.txt":     ErrNotAReport,
		"s3://reports/other.json":   ErrNotAReport,
	}
	for uri, want := range tests {
		_, err := ReadReport(context.Background(), env.clients.S3(), uri)
		if !errors.Is(err, want) || !strings.Contains(err.Error(), uri) {
			t.Errorf("ReadReport(%s) = %v, want %v naming the URI", uri, err, want)
		}
	}
	if err := WriteReport(context.Background(), env.clients.S3(), "s3://locked/r.json", &Report{Kind: Kind}); !errors.Is(err, ErrReportAccessDenied) {
		t.Errorf("WriteReport to a denied bucket = %v, want ErrReportAccessDenied", err)
	}
	for _, uri := range []string{"reports/r.json", "s3://reports", "s3:///key"} {
		if _, err := ReadReport(context.Background(), env.clients.S3(), uri); err == nil {
			t.Errorf("ReadReport(%q) accepted a malformed URI", uri)
		}
	}
}

func TestCheckReportWritable(t *testing.T) {
	env := startS3(t)
	ctx := context.Background()
	left, err := CheckReportWritable(ctx, env.clients.S3(), "s3://reports/runs/r.json")
	if err != nil || left != "" {
		t.Fatalf("writable bucket: left %q, err %v; want no error and no probe left", left, err)
	}
	if _, err := getObject(ctx, env.clients.S3(), "reports", "runs/r.json"+WriteCheckSuffix); !faults.IsNotFound(err) {
		t.Errorf("the probe object is still there (GetObject: %v)", err)
	}
	if _, err := getObject(ctx, env.clients.S3(), "reports", "runs/r.json"); !faults.IsNotFound(err) {
		t.Errorf("the check wrote the report's own key (GetObject: %v)", err)
	}
	env.sim.DenyS3("locked")
	if _, err := CheckReportWritable(ctx, env.clients.S3(), "s3://locked/r.json"); !errors.Is(err, ErrReportAccessDenied) {
		t.Errorf("denied bucket: %v, want ErrReportAccessDenied", err)
	}
	if _, err := CheckReportWritable(ctx, env.clients.S3(), "s3://a..b/r.json"); err == nil {
		t.Error("a bucket name S3 forbids passed the check")
	}
}
