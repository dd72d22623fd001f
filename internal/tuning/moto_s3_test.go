package tuning

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// TestMotoS3 checks the report and payload_s3 code against moto_server's S3,
// an implementation we did not write (see OFFLINE.md), through the
// production clients. Moto answers a missing key NoSuchKey and a missing
// bucket NoSuchBucket, both 404, as S3 does.
func TestMotoS3(t *testing.T) {
	base := startMoto(t)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	store := NewAWSClients(cfg, ClientOptions{S3Endpoint: base, MaxRetries: 2, MaxBackoff: 10 * time.Millisecond}).S3()
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
		want := &Report{Kind: ReportKind, FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:orders", Region: "us-east-1",
			Architecture: "arm64", Currency: "USD", OptimalPower: 1024, OptimalCost: 2.1e-6, OptimalDuration: 84.25,
			Input:   Input{LambdaARN: "orders", Num: 10, PowerValues: []int32{512, 1024}, Payload: ptrTo(`{"id":"é"}`), Strategy: StrategyCost},
			Results: []PowerResult{{Power: 512, AverageCost: 2.5e-6, Invocations: 10}, {Power: 1024, AverageCost: 2.1e-6, Invocations: 10}},
			Output:  `{"power":1024}`, TunedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
		// A key with a space and a path: the SDK escapes it, moto unescapes it.
		const uri = "s3://reports/runs/orders fn/report.json"
		if err := WriteReport(motoCtx(t), store, uri, want); err != nil {
			t.Fatal(err)
		}
		got, err := ReadReport(motoCtx(t), store, uri)
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
		if ct := aws.ToString(stored.ContentType); ct != "application/json" || !strings.Contains(string(body), `"kind": "`+ReportKind+`"`) {
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
			{"s3://reports/missing.json", ErrReportNotFound, "NoSuchKey"},
			{"s3://no-such-bucket/report.json", ErrReportNotFound, "NoSuchBucket"},
			{"s3://reports/junk.txt", ErrNotAReport, ""},
			{"s3://reports/other.json", ErrNotAReport, ""},
		}
		for _, tc := range tests {
			_, err := ReadReport(motoCtx(t), store, tc.uri)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.uri) {
				t.Errorf("ReadReport(%s) = %v, want %v naming the URI", tc.uri, err, tc.want)
			}
			if code := s3Code(err); code != tc.wantCode {
				t.Errorf("ReadReport(%s) carries S3 code %q, want %q", tc.uri, code, tc.wantCode)
			}
		}
		err := WriteReport(motoCtx(t), store, "s3://no-such-bucket/report.json", &Report{Kind: ReportKind})
		if err == nil || errors.Is(err, ErrReportAccessDenied) || s3Code(err) != "NoSuchBucket" || !strings.Contains(err.Error(), "s3://no-such-bucket/report.json") {
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
			payloads, err := BuildPayloads(got, 2)
			if err != nil || len(payloads) != 2 || string(payloads[0]) != b.sent {
				t.Errorf("payloads from %s = %q, %v; want %q twice", uri, payloads, err, b.sent)
			}
		}
		for uri, code := range map[string]string{"s3://payloads/missing.json": "NoSuchKey", "s3://no-such-bucket/event.json": "NoSuchBucket"} {
			_, err := readPayloadS3(motoCtx(t), store, uri)
			if !errors.Is(err, ErrPayloadNotFound) || s3Code(err) != code || !strings.Contains(err.Error(), uri) {
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

// motoStartTimeout bounds moto_server's start-up (Python imports take a few
// seconds, more on a loaded machine).
const motoStartTimeout = 60 * time.Second

// startMoto runs moto_server on a port the system picks, until the test
// ends, and returns its URL; the test is skipped when moto is not installed.
// The lambdasim package has its twin: test code is not shared across packages.
func startMoto(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		t.Skip("moto_server is not on PATH (pip install 'moto[server]'); the check against moto's S3 is skipped")
	}
	out, in, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", "0")
	cmd.Stdout, cmd.Stderr = in, in
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting moto_server: %v", err)
	}
	_ = in.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = out.Close()
	})
	// moto prints "Running on http://127.0.0.1:PORT" once it listens; its
	// output is drained afterwards so that it never blocks on a full pipe.
	found := make(chan string, 1)
	var early strings.Builder // what moto said before listening, for the failure message
	go func() {
		scanner := bufio.NewScanner(out)
		for scanner.Scan() {
			if _, addr, ok := strings.Cut(scanner.Text(), "Running on "); ok {
				found <- strings.TrimSpace(addr)
				break
			}
			early.WriteString(scanner.Text() + "\n")
		}
		close(found)
		_, _ = io.Copy(io.Discard, out)
	}()
	var base string
	select {
	case addr, ok := <-found:
		if !ok {
			t.Fatalf("moto_server exited before listening:\n%s", early.String())
		}
		base = addr
	case <-time.After(motoStartTimeout):
		t.Fatalf("moto_server did not listen within %v", motoStartTimeout)
	}
	for deadline := time.Now().Add(motoStartTimeout); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/moto-api/")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server at %s is not ready after %v: %v", base, motoStartTimeout, err)
		}
	}
}
