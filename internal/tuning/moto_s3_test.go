package tuning

import (
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim/mototest"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// TestMotoS3 checks the report and payload_s3 code against moto_server's S3,
// an implementation we did not write (moto, a third-party emulator of AWS
// APIs), through the
// production clients. Moto answers a missing key NoSuchKey and a missing
// bucket NoSuchBucket, both 404, as S3 does.
func TestMotoS3(t *testing.T) {
	base := mototest.Start(t)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	store := awsclient.New(cfg, awsclient.ClientOptions{S3Endpoint: base, MaxRetries: 2, MaxBackoff: 10 * time.Millisecond}).S3()
	// admin sets buckets up and reads objects back, beside the code under test.
	admin := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(base)
		o.UsePathStyle = true
	})
	for _, bucket := range []string{"reports", "payloads"} {
		if _, err := admin.CreateBucket(motoCtx(t), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
			t.Fatalf("CreateBucket %s: %v", bucket, err)
		}
	}
	put := func(t *testing.T, bucket, key, body string) {
		t.Helper()
		if _, err := admin.PutObject(motoCtx(t), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: strings.NewReader(body)}); err != nil {
			t.Fatalf("PutObject s3://%s/%s: %v", bucket, key, err)
		}
	}

	t.Run("ReportRoundTrip", func(t *testing.T) {
		want := &report.Report{Kind: report.Kind, FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:orders", Region: "us-east-1",
			Architecture: "arm64", Currency: "USD", OptimalPower: 1024, OptimalCost: 2.1e-6, OptimalDuration: 84.25,
			Input:   spec.Input{LambdaARN: "orders", Num: 10, PowerValues: []int32{512, 1024}, Payload: ptrTo(`{"id":"é"}`), Strategy: analysis.StrategyCost},
			Results: []analysis.PowerResult{{Power: 512, AverageCost: 2.5e-6, Invocations: 10}, {Power: 1024, AverageCost: 2.1e-6, Invocations: 10}},
			Output:  `{"power":1024}`, TunedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
		// A key with a space and a path: the SDK escapes it, moto unescapes it.
		const uri = "s3://reports/runs/orders fn/report.json"
		if err := report.WriteReport(motoCtx(t), store, uri, want); err != nil {
			t.Fatal(err)
		}
		got, err := report.ReadReport(motoCtx(t), store, uri)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read back\n %+v\nwant\n %+v", got, want)
		}
		stored, err := admin.GetObject(motoCtx(t), &s3.GetObjectInput{Bucket: aws.String("reports"), Key: aws.String("runs/orders fn/report.json")})
		if err != nil {
			t.Fatalf("the report is not where its URI says: %v", err)
		}
		defer stored.Body.Close()
		body, _ := io.ReadAll(stored.Body)
		if ct := aws.ToString(stored.ContentType); ct != "application/json" || !strings.Contains(string(body), `"kind": "`+report.Kind+`"`) {
			t.Errorf("stored as %q:\n%s", ct, body)
		}
	})

	t.Run("ReadReportErrors", func(t *testing.T) {
		put(t, "reports", "junk.txt", "not json")
		put(t, "reports", "other.json", `{"kind":"something-else"}`)
		tests := []struct {
			uri      string
			want     error
			wantCode string // the S3 code the error still carries; "" for none
		}{
			{"s3://reports/missing.json", report.ErrReportNotFound, "NoSuchKey"},
			{"s3://no-such-bucket/report.json", report.ErrReportNotFound, "NoSuchBucket"},
			{"s3://reports/junk.txt", report.ErrNotAReport, ""},
			{"s3://reports/other.json", report.ErrNotAReport, ""},
		}
		for _, tc := range tests {
			_, err := report.ReadReport(motoCtx(t), store, tc.uri)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.uri) {
				t.Errorf("ReadReport(%s) = %v, want %v naming the URI", tc.uri, err, tc.want)
			}
			if code := s3Code(err); code != tc.wantCode {
				t.Errorf("ReadReport(%s) carries S3 code %q, want %q", tc.uri, code, tc.wantCode)
			}
		}
		err := report.WriteReport(motoCtx(t), store, "s3://no-such-bucket/report.json", &report.Report{Kind: report.Kind})
		if err == nil || errors.Is(err, report.ErrReportAccessDenied) || s3Code(err) != "NoSuchBucket" || !strings.Contains(err.Error(), "s3://no-such-bucket/report.json") {
			t.Errorf("WriteReport to a missing bucket = %v, want a NoSuchBucket error naming the URI", err)
		}
	})

	t.Run("PayloadS3", func(t *testing.T) {
		bodies := map[string]struct{ object, sent string }{
			"event.json": {object: "{\"orderId\": 42}\n", sent: "{\"orderId\": 42}\n"},
			"note.txt":   {object: "héllo, not JSON\n", sent: `"héllo, not JSON\n"`},
			"empty":      {object: "", sent: "{}"},
		}
		for key, b := range bodies {
			put(t, "payloads", key, b.object)
			uri := "s3://payloads/" + key
			got, err := readPayloadS3(motoCtx(t), store, uri)
			if err != nil {
				t.Errorf("readPayloadS3(%s): %v", uri, err)
				continue
			}
			if string(got) != b.object {
				t.Errorf("readPayloadS3(%s) = %q, want the object's bytes %q", uri, got, b.object)
			}
			payloads, err := analysis.BuildPayloads(got, 2)
			if err != nil {
				t.Errorf("payloads from %s: %v", uri, err)
			} else if payloads.Len() != 2 || string(payloads.Body(0)) != b.sent {
				t.Errorf("payloads from %s = %d bodies, first %q; want %q twice", uri, payloads.Len(), payloads.Body(0), b.sent)
			}
		}
		for uri, code := range map[string]string{"s3://payloads/missing.json": "NoSuchKey", "s3://no-such-bucket/event.json": "NoSuchBucket"} {
			_, err := readPayloadS3(motoCtx(t), store, uri)
			if !errors.Is(err, faults.ErrPayloadNotFound) || s3Code(err) != code || !strings.Contains(err.Error(), uri) {
				t.Errorf("readPayloadS3(%s) = %v, want ErrPayloadNotFound with %s naming the URI", uri, err, code)
			}
		}
	})
}

// s3Code is the S3 error code err carries, or "".
func s3Code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func motoCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
