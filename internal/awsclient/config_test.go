package awsclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// isolateAWSEnvironment hides the machine's AWS settings from the SDK so each
// test sees only what it sets. (t.Setenv: these tests cannot run in parallel.)
func isolateAWSEnvironment(t *testing.T) {
	t.Helper()
	for _, name := range []string{
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS",
	} {
		t.Setenv(name, "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func env(values map[string]string) func(string) string {
	return func(name string) string { return values[name] }
}

func TestLoadAWSConfig_region(t *testing.T) {
	isolateAWSEnvironment(t)
	configFile := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(configFile, []byte("[profile tuner]\nregion = ap-south-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		opts    ConfigOptions
		awsEnv  string // AWS_REGION, which the SDK reads itself
		want    string
		profile bool
	}{
		{name: "explicit wins over everything", opts: ConfigOptions{Region: "eu-west-1", Getenv: env(map[string]string{"AWS_DEFAULT_REGION": "us-west-2"})},
			awsEnv: "us-east-2", profile: true, want: "eu-west-1"},
		{name: "AWS_REGION before AWS_DEFAULT_REGION", opts: ConfigOptions{Getenv: env(map[string]string{"AWS_DEFAULT_REGION": "us-west-2", "AWS_REGION": "us-east-2"})},
			awsEnv: "us-east-2", want: "us-east-2"},
		{name: "AWS_DEFAULT_REGION before the profile", opts: ConfigOptions{Getenv: env(map[string]string{"AWS_DEFAULT_REGION": "us-west-2"})},
			profile: true, want: "us-west-2"},
		{name: "the profile's region last", opts: ConfigOptions{Getenv: env(nil)}, profile: true, want: "ap-south-1"},
		{name: "none at all", opts: ConfigOptions{Getenv: env(nil)}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AWS_REGION", tt.awsEnv)
			if tt.profile {
				tt.opts.Profile = "tuner"
				tt.opts.SharedConfigFiles = []string{configFile}
			}
			cfg, err := LoadConfig(context.Background(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Region != tt.want {
				t.Errorf("region = %q, want %q", cfg.Region, tt.want)
			}
		})
	}
}

func TestLoadAWSConfig_staticCredentials(t *testing.T) {
	isolateAWSEnvironment(t)
	cfg, err := LoadConfig(context.Background(), ConfigOptions{
		Region: "us-east-1", AccessKey: "AKIDEXAMPLE", SecretKey: "secret", Token: "session",
	})
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "AKIDEXAMPLE" || creds.SecretAccessKey != "secret" || creds.SessionToken != "session" {
		t.Errorf("credentials = %+v, want the static ones", creds)
	}

	if _, err := LoadConfig(context.Background(), ConfigOptions{Region: "us-east-1", AccessKey: "AKIDEXAMPLE"}); err == nil {
		t.Error("an access key without a secret key was accepted")
	}
}

func TestLoadAWSConfig_unknownProfileFails(t *testing.T) {
	isolateAWSEnvironment(t)
	if _, err := LoadConfig(context.Background(), ConfigOptions{Region: "us-east-1", Profile: "does-not-exist"}); err == nil {
		t.Error("a profile that exists in no file was accepted")
	}
}

func TestLoadAWSConfig_retries(t *testing.T) {
	isolateAWSEnvironment(t)
	load := func(opts ConfigOptions) aws.Config {
		t.Helper()
		opts.Region = "us-east-1"
		cfg, err := LoadConfig(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}

	if cfg := load(ConfigOptions{}); cfg.RetryMaxAttempts != DefaultMaxRetries || cfg.RetryMode != aws.RetryModeStandard {
		t.Errorf("defaults: %d attempts in %q mode, want %d in standard", cfg.RetryMaxAttempts, cfg.RetryMode, DefaultMaxRetries)
	}
	if cfg := load(ConfigOptions{MaxRetries: 7, RetryMode: "adaptive"}); cfg.RetryMaxAttempts != 7 || cfg.RetryMode != aws.RetryModeAdaptive {
		t.Errorf("explicit: %d attempts in %q mode, want 7 in adaptive", cfg.RetryMaxAttempts, cfg.RetryMode)
	}
	t.Setenv("AWS_MAX_ATTEMPTS", "4")
	t.Setenv("AWS_RETRY_MODE", "adaptive")
	if cfg := load(ConfigOptions{}); cfg.RetryMaxAttempts != 4 || cfg.RetryMode != aws.RetryModeAdaptive {
		t.Errorf("environment: %d attempts in %q mode, want 4 in adaptive", cfg.RetryMaxAttempts, cfg.RetryMode)
	}
	if _, err := LoadConfig(context.Background(), ConfigOptions{Region: "us-east-1", RetryMode: "eager"}); err == nil {
		t.Error("an unknown retry mode was accepted")
	}
}

// fakeSTS answers AssumeRole and records the requests it got.
type fakeSTS struct {
	mu       sync.Mutex
	requests []url.Values
}

func (f *fakeSTS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, r.PostForm)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write([]byte(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAASSUMED</AccessKeyId>
      <SecretAccessKey>assumed-secret</SecretAccessKey>
      <SessionToken>assumed-token</SessionToken>
      <Expiration>` + time.Now().Add(time.Hour).UTC().Format(time.RFC3339) + `</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/tuner/terraform</Arn>
      <AssumedRoleId>AROAEXAMPLE:terraform</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>`))
}

func (f *fakeSTS) received() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.requests...)
}

func TestLoadAWSConfig_assumeRoleIsLazyAndCached(t *testing.T) {
	isolateAWSEnvironment(t)
	sts := &fakeSTS{}
	server := httptest.NewServer(sts)
	defer server.Close()

	cfg, err := LoadConfig(context.Background(), ConfigOptions{
		Region: "us-east-1", AccessKey: "AKIDBASE", SecretKey: "base-secret",
		STSEndpoint: server.URL,
		AssumeRole: &AssumeRoleOptions{
			RoleARN:     "arn:aws:iam::123456789012:role/tuner",
			SessionName: "terraform",
			ExternalID:  "ext-1",
			Duration:    time.Hour,
			Policy:      `{"Version":"2012-10-17","Statement":[]}`,
			PolicyARNs:  []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
			Tags:        map[string]string{"team": "perf", "env": "ci"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sts.received()); n != 0 {
		t.Fatalf("loading the configuration called STS %d times; it must not call AWS", n)
	}

	for range 2 {
		creds, err := cfg.Credentials.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if creds.AccessKeyID != "ASIAASSUMED" || creds.SessionToken != "assumed-token" {
			t.Fatalf("credentials = %+v, want the assumed role's", creds)
		}
	}
	requests := sts.received()
	if len(requests) != 1 {
		t.Fatalf("STS got %d requests for two retrievals, want 1 (cached)", len(requests))
	}
	want := map[string]string{
		"Action":                  "AssumeRole",
		"RoleArn":                 "arn:aws:iam::123456789012:role/tuner",
		"RoleSessionName":         "terraform",
		"ExternalId":              "ext-1",
		"DurationSeconds":         "3600",
		"Policy":                  `{"Version":"2012-10-17","Statement":[]}`,
		"PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
		"Tags.member.1.Key":       "env",
		"Tags.member.1.Value":     "ci",
		"Tags.member.2.Key":       "team",
		"Tags.member.2.Value":     "perf",
	}
	for key, value := range want {
		if got := requests[0].Get(key); got != value {
			t.Errorf("AssumeRole %s = %q, want %q", key, got, value)
		}
	}
}

func TestLoadAWSConfig_assumeRoleNeedsARole(t *testing.T) {
	isolateAWSEnvironment(t)
	_, err := LoadConfig(context.Background(), ConfigOptions{Region: "us-east-1", AssumeRole: &AssumeRoleOptions{}})
	if err == nil {
		t.Error("assume role without a role ARN was accepted")
	}
}
