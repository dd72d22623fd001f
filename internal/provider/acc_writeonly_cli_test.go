package provider

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// A write-only payload reaches every invocation and nothing else: not the
// plan, not the state, not the stored report. Changing its version re-runs
// the tuning; nothing else about it does.
func TestAccWriteOnlyPayloadIsNeverStored(t *testing.T) {
	h := newCLIHarness(t)
	if v := h.version(t); !v.atLeast1(11) {
		t.Skipf("%s has no write-only attributes (Terraform and OpenTofu 1.11 and later do)", v)
	}
	env := newAccEnv(t, lambdasim.Options{})
	proxy := env.recordRequests(t)
	arn := env.function(t, "secretive", cpuBound)
	const secret = "tok-5f1c9e-never-stored"
	config := func(version int) string {
		return runConfig(env, arn, `power_values       = [256, 512]
  report_s3_uri      = "s3://reports/secretive.json"
  payload_wo         = jsonencode({ token = "`+secret+`" })
  payload_wo_version = `+strconv.Itoa(version))
	}
	dir := h.workdir(t, config(1))
	cliRun(t, h, dir, "plan", "-input=false", "-no-color", "-out=run.tfplan")
	if raw := cliRun(t, h, dir, "show", "-json", "run.tfplan"); strings.Contains(string(raw), secret) {
		t.Error("the saved plan holds the write-only payload")
	}
	cliRun(t, h, dir, "apply", "-input=false", "-no-color", "run.tfplan")

	invocations := invocationsOf(proxy, "secretive")
	if len(invocations) != 10 {
		t.Fatalf("%d invocations, want 10", len(invocations))
	}
	for _, r := range invocations {
		if !strings.Contains(string(r.body), secret) {
			t.Errorf("invocation %s was sent %s, not the write-only payload", r.path, r.body)
		}
	}
	state, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	for what, raw := range map[string][]byte{
		"the state file":       state,
		"terraform show -json": cliRun(t, h, dir, "show", "-json"),
		"the stored report":    env.object(t, "reports", "secretive.json"),
	} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("%s holds the write-only payload", what)
		}
	}
	var stored report.Report
	if err := json.Unmarshal(env.object(t, "reports", "secretive.json"), &stored); err != nil {
		t.Fatal(err)
	}
	if want := report.PayloadSHA256(`{"token":"` + secret + `"}`); stored.PayloadSHA256 != want || stored.Input.PayloadWriteOnlyVersion != 1 {
		t.Errorf("stored report has payload hash %q and payload_wo_version %d, want %q and 1", stored.PayloadSHA256, stored.Input.PayloadWriteOnlyVersion, want)
	}

	// The same configuration plans nothing: the payload is never compared.
	if code, out := planExitCode(t, h, dir); code != 0 {
		t.Errorf("plan of the unchanged configuration exited %d, want 0 (no changes):\n%s", code, out)
	}
	// A new version re-runs the tuning.
	writeFile(t, filepath.Join(dir, "main.tf"),
		"terraform {\n  required_providers {\n    awspowertuning = { source = \"awspowertuning/awspowertuning\" }\n  }\n}\n"+config(2))
	if code, out := planExitCode(t, h, dir); code != 2 || !strings.Contains(out, "must be replaced") {
		t.Errorf("plan after payload_wo_version changed exited %d, want 2 (a replacement):\n%s", code, out)
	}
	cliRun(t, h, dir, "apply", "-auto-approve", "-input=false", "-no-color")
	if n := len(invocationsOf(proxy, "secretive")); n != 20 {
		t.Errorf("%d invocations after the new version, want 20", n)
	}
}

// object reads an object back from the emulator's S3.
func (e *accEnv) object(t *testing.T, bucket, key string) []byte {
	t.Helper()
	client := s3.New(s3.Options{Region: accRegion, BaseEndpoint: aws.String(e.sim.URL()), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		t.Fatalf("reading s3://%s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body
}
