package lambdasim

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestLoadConfigAndApply(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "payload.json"), []byte(`{"from":"file"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	config := `{
  "functions": [
    {"name": "demo", "memory_size": 512, "log_format": "JSON",
     "environment": {"SIM_CPU_MS": "400", "SIM_NOISE": "0.05"}, "reserved_concurrency": 5}
  ],
  "objects": [
    {"bucket": "payloads", "key": "inline.json", "body": "{\"inline\":true}"},
    {"bucket": "payloads", "key": "file.json", "file": "payload.json"}
  ],
  "denied_buckets": ["forbidden"],
  "faults": [{"operation": "GetAlias", "status": 500, "count": 1, "delay": "1ms"}]
}`
	path := filepath.Join(dir, "preload.json")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	s := startServer(t, Options{})
	if err := s.Apply(cfg); err != nil {
		t.Fatalf("Apply: %v", err)
	}

	c := lambdaClient(s, "us-east-1")
	fn, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("demo")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(fn.Configuration.MemorySize) != 512 || fn.Configuration.State != "Active" ||
		fn.Configuration.Environment.Variables["SIM_CPU_MS"] != "400" || aws.ToInt32(fn.Concurrency.ReservedConcurrentExecutions) != 5 {
		t.Errorf("preloaded function: %+v", fn.Configuration)
	}
	body := func(key string) string {
		out, err := s3Client(s).GetObject(ctx(t), &s3.GetObjectInput{Bucket: aws.String("payloads"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObject %s: %v", key, err)
		}
		defer out.Body.Close()
		b, _ := io.ReadAll(out.Body)
		return string(b)
	}
	if body("inline.json") != `{"inline":true}` || body("file.json") != `{"from":"file"}` {
		t.Error("preloaded objects differ")
	}
	_, err = c.GetAlias(ctx(t), &lambda.GetAliasInput{FunctionName: aws.String("demo"), Name: aws.String("x")})
	wantAPIError(t, err, 500, "ServiceException", "The AWS Lambda service encountered an internal error.")
}

func TestLoadConfigErrors(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"syntax.json":   `{"functions": [`,
		"nokey.json":    `{"objects": [{"bucket": "b"}]}`,
		"nofile.json":   `{"objects": [{"bucket": "b", "key": "k", "file": "missing"}]}`,
		"badfault.json": `{"faults": [{"operation": "Invoke"}]}`,
		"baddelay.json": `{"faults": [{"operation": "Invoke", "delay": "later"}]}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadConfig(path); err == nil || !strings.Contains(err.Error(), "lambdasim") {
			t.Errorf("%s: want a lambdasim error, got %v", name, err)
		}
	}
	s := New(Options{})
	if err := s.Apply(Config{Functions: []FunctionSpec{{Name: "m", MemorySize: 64}}}); err == nil {
		t.Error("a preloaded function with 64 MB must be refused")
	}
}

// TestPreloadKindsOfFunction: the preload file's fields for tenant
// isolation, durable and managed-instances functions.
func TestPreloadKindsOfFunction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "preload.json")
	config := `{"capacity_providers": [{"name": "fleet-1", "architecture": "arm64", "max_vcpu_count": 64}],
"functions": [
  {"name": "tenant", "tenant_isolation_mode": "PER_TENANT"},
  {"name": "durable", "durable": {"execution_timeout": 3600, "retention_period_in_days": 30, "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k"}},
  {"name": "lmi", "architecture": "arm64", "memory_size": 4096, "capacity_provider": {"arn": "fleet-1", "memory_gib_per_vcpu": 4, "per_environment_max_concurrency": 16}},
  {"name": "streamer", "environment": {"SIM_RESPONSE_BYTES": "8388608"}}
]}`
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, Options{})
	if err := s.Apply(cfg); err != nil {
		t.Fatal(err)
	}
	c := lambdaClient(s, "us-east-1")
	if got := getFunction(t, c, "tenant", "").Configuration.TenancyConfig; got == nil || got.TenantIsolationMode != "PER_TENANT" {
		t.Errorf("tenant: TenancyConfig %+v", got)
	}
	if got := getFunction(t, c, "durable", "").Configuration.DurableConfig; got == nil || aws.ToInt32(got.ExecutionTimeout) != 3600 ||
		aws.ToInt32(got.RetentionPeriodInDays) != 30 || aws.ToString(got.KMSKeyArn) != "arn:aws:kms:us-east-1:123456789012:key/k" {
		t.Errorf("durable: DurableConfig %s", durableString(got))
	}
	got := getFunction(t, c, "lmi", "").Configuration.CapacityProviderConfig
	if capacityString(got) != "{"+testCapacityProvider+" GiBPerVCpu:4.0 MaxConcurrency:16}" {
		t.Errorf("lmi: CapacityProviderConfig %s", capacityString(got))
	}
	if res := invokeStream(t, c, streamInput("streamer", "")); len(res.body) != 8<<20 {
		t.Errorf("streamer streamed %d bytes", len(res.body))
	}
}
