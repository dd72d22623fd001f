package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
)

// recordedConfigure is what Configure asked the clients factory to build.
type recordedConfigure struct {
	aws  awsclient.ConfigOptions
	opts awsclient.ClientOptions
}

// recordingProvider is a provider whose clients factory only records its
// arguments into *into.
func recordingProvider(environment map[string]string, into **recordedConfigure) *awsPowerTuningProvider {
	return &awsPowerTuningProvider{
		version: "test",
		getenv:  func(name string) string { return environment[name] },
		newClients: func(_ context.Context, aws awsclient.ConfigOptions, opts awsclient.ClientOptions) (awsapi.Clients, error) {
			*into = &recordedConfigure{aws: aws, opts: opts}
			return nil, nil
		},
	}
}

// configureWith sends a provider block to p's ConfigureProvider.
func configureWith(t *testing.T, p *awsPowerTuningProvider, values map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	server := protocolServer(t, p)
	schemas := providerSchemas(t, server)
	resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		Config: configValue(t, schemas.Provider, values),
	})
	if err != nil {
		t.Fatalf("ConfigureProvider: %v", err)
	}
	return resp.Diagnostics
}

// providerBlockType is the object type of a provider block or attribute.
func providerBlockType(t *testing.T, name string) map[string]tftypes.Type {
	t.Helper()
	server := protocolServer(t, New("test")())
	objectType := providerSchemas(t, server).Provider.ValueType().(tftypes.Object)
	switch typ := objectType.AttributeTypes[name].(type) {
	case tftypes.Object:
		return typ.AttributeTypes
	case tftypes.List:
		return typ.ElementType.(tftypes.Object).AttributeTypes
	default:
		t.Fatalf("%s is a %T", name, typ)
		return nil
	}
}

func TestConfigure_mapsEveryArgument(t *testing.T) {
	endpointTypes := providerBlockType(t, "endpoints")
	assumeRoleTypes := providerBlockType(t, "assume_role")
	priceTypes := providerBlockType(t, "lambda_prices")
	prices := tftypes.NewValue(tftypes.List{ElementType: tftypes.Object{AttributeTypes: priceTypes}}, []tftypes.Value{
		object(priceTypes, map[string]tftypes.Value{
			"region": str("eu-west-1"), "architecture": str("arm64"),
			"price_per_gb_second": num(0.00001), "price_per_request": num(0.0000001),
		}),
		object(priceTypes, map[string]tftypes.Value{
			"region": str("cn-north-1"), "architecture": str("x86_64"),
			"price_per_gb_second": num(0.0001), "price_per_request": num(0.000001), "currency": str("CNY"),
		}),
	})

	var recorded *recordedConfigure
	diags := configureWith(t, recordingProvider(nil, &recorded), map[string]tftypes.Value{
		"region":                   str("eu-west-1"),
		"profile":                  str("tuner"),
		"shared_config_files":      strList("/etc/aws/config"),
		"shared_credentials_files": strList("~/creds"),
		"access_key":               str("AKID"),
		"secret_key":               str("SECRET"),
		"token":                    str("TOKEN"),
		"max_retries":              num(9),
		"retry_mode":               str("adaptive"),
		"default_power_values":     numList(128, 1024),
		"visualization_url":        str("https://example.com/viz/"),
		"lambda_prices":            prices,
		"endpoints": object(endpointTypes, map[string]tftypes.Value{
			"lambda": str("http://127.0.0.1:9001"), "s3": str("http://127.0.0.1:9002"), "sts": str("http://127.0.0.1:9003"),
			"sfn": str("http://127.0.0.1:9004"), "logs": str("http://127.0.0.1:9005"),
		}),
		"assume_role": object(assumeRoleTypes, map[string]tftypes.Value{
			"role_arn": str("arn:aws:iam::123456789012:role/tuner"), "session_name": str("tf"),
			"external_id": str("ext"), "duration": str("1h30m"), "policy": str("{}"),
			"policy_arns": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("arn:aws:iam::aws:policy/ReadOnlyAccess")}),
			"tags":        strMap(map[string]string{"team": "perf"}),
		}),
	})
	if errs := errorDiagnostics(diags); len(errs) > 0 {
		t.Fatalf("Configure failed:%s", describeDiagnostics(errs))
	}
	if recorded == nil {
		t.Fatal("Configure did not build clients")
	}

	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	wantAWS := awsclient.ConfigOptions{
		Region: "eu-west-1", Profile: "tuner",
		SharedConfigFiles: []string{"/etc/aws/config"}, SharedCredentialsFiles: []string{filepath.Join(home, "creds")},
		AccessKey: "AKID", SecretKey: "SECRET", Token: "TOKEN",
		MaxRetries: 9, RetryMode: "adaptive", STSEndpoint: "http://127.0.0.1:9003",
		AssumeRole: &awsclient.AssumeRoleOptions{
			RoleARN: "arn:aws:iam::123456789012:role/tuner", SessionName: "tf", ExternalID: "ext",
			Duration: 90 * time.Minute, Policy: "{}", PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
			Tags: map[string]string{"team": "perf"},
		},
	}
	gotAWS := recorded.aws
	gotAWS.Getenv = nil // a function; compared by behaviour elsewhere
	if !reflect.DeepEqual(gotAWS, wantAWS) {
		t.Errorf("AWS options =\n%+v\nwant\n%+v", gotAWS, wantAWS)
	}
	wantOpts := awsclient.ClientOptions{LambdaEndpoint: "http://127.0.0.1:9001", S3Endpoint: "http://127.0.0.1:9002", SFNEndpoint: "http://127.0.0.1:9004", LogsEndpoint: "http://127.0.0.1:9005"}
	if recorded.opts != wantOpts {
		t.Errorf("client options = %+v, want %+v", recorded.opts, wantOpts)
	}
}

func TestConfigure_endpointsFromEnvironment(t *testing.T) {
	tests := []struct {
		name        string
		environment map[string]string
		block       map[string]tftypes.Value
		wantLambda  string
		wantS3      string
		wantSTS     string
		wantSFN     string
		wantLogs    string
	}{
		{name: "service variables", environment: map[string]string{
			"AWS_ENDPOINT_URL_LAMBDA": "http://lambda:1", "AWS_ENDPOINT_URL_S3": "http://s3:2", "AWS_ENDPOINT_URL_STS": "http://sts:3",
			"AWS_ENDPOINT_URL_SFN": "http://sfn:6", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": "http://logs:7",
		}, wantLambda: "http://lambda:1", wantS3: "http://s3:2", wantSTS: "http://sts:3", wantSFN: "http://sfn:6", wantLogs: "http://logs:7"},
		{name: "the global variable fills in", environment: map[string]string{
			"AWS_ENDPOINT_URL": "http://all:4", "AWS_ENDPOINT_URL_S3": "http://s3:2",
		}, wantLambda: "http://all:4", wantS3: "http://s3:2", wantSTS: "http://all:4", wantSFN: "http://all:4", wantLogs: "http://all:4"},
		{name: "the block wins", environment: map[string]string{"AWS_ENDPOINT_URL_LAMBDA": "http://lambda:1"},
			block: map[string]tftypes.Value{"lambda": str("http://block:5")}, wantLambda: "http://block:5"},
		{name: "ignored on request", environment: map[string]string{
			"AWS_ENDPOINT_URL": "http://all:4", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
		}},
	}
	endpointTypes := providerBlockType(t, "endpoints")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values := map[string]tftypes.Value{}
			if tt.block != nil {
				values["endpoints"] = object(endpointTypes, tt.block)
			}
			var recorded *recordedConfigure
			if errs := errorDiagnostics(configureWith(t, recordingProvider(tt.environment, &recorded), values)); len(errs) > 0 {
				t.Fatalf("Configure failed:%s", describeDiagnostics(errs))
			}
			if recorded.opts.SFNEndpoint != tt.wantSFN {
				t.Errorf("sfn endpoint %q, want %q", recorded.opts.SFNEndpoint, tt.wantSFN)
			}
			if recorded.opts.LogsEndpoint != tt.wantLogs {
				t.Errorf("logs endpoint %q, want %q", recorded.opts.LogsEndpoint, tt.wantLogs)
			}
			if recorded.opts.LambdaEndpoint != tt.wantLambda || recorded.opts.S3Endpoint != tt.wantS3 || recorded.aws.STSEndpoint != tt.wantSTS {
				t.Errorf("endpoints lambda=%q s3=%q sts=%q, want %q %q %q", recorded.opts.LambdaEndpoint,
					recorded.opts.S3Endpoint, recorded.aws.STSEndpoint, tt.wantLambda, tt.wantS3, tt.wantSTS)
			}
		})
	}
}

func TestConfigure_rejectsDuplicatePrices(t *testing.T) {
	priceTypes := providerBlockType(t, "lambda_prices")
	entry := object(priceTypes, map[string]tftypes.Value{
		"region": str("eu-west-1"), "architecture": str("arm64"), "price_per_gb_second": num(1), "price_per_request": num(1),
	})
	var recorded *recordedConfigure
	diags := configureWith(t, recordingProvider(nil, &recorded), map[string]tftypes.Value{
		"region":        str("eu-west-1"),
		"lambda_prices": tftypes.NewValue(tftypes.List{ElementType: tftypes.Object{AttributeTypes: priceTypes}}, []tftypes.Value{entry, entry}),
	})
	errs := errorDiagnostics(diags)
	if len(errs) != 1 || errs[0].Summary != "Duplicate Lambda Price" || !strings.Contains(errs[0].Detail, `"eu-west-1"`) {
		t.Fatalf("want one Duplicate Lambda Price error, got:%s", describeDiagnostics(diags))
	}
}

// The real clients factory: Configure must not call AWS (a local emulator
// cannot answer STS), and must say when no Region is configured.
func TestConfigure_realClients(t *testing.T) {
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		t.Setenv(name, "")
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))

	var requests atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		http.Error(w, "no calls expected", http.StatusTeapot)
	}))
	defer server.Close()

	endpointTypes := providerBlockType(t, "endpoints")
	assumeRoleTypes := providerBlockType(t, "assume_role")
	endpoints := object(endpointTypes, map[string]tftypes.Value{"lambda": str(server.URL), "s3": str(server.URL), "sts": str(server.URL)})

	t.Run("no AWS call, even with assume_role", func(t *testing.T) {
		diags := configureWith(t, New("test")().(*awsPowerTuningProvider), map[string]tftypes.Value{
			"region": str("us-east-1"), "access_key": str("test"), "secret_key": str("test"), "endpoints": endpoints,
			"assume_role": object(assumeRoleTypes, map[string]tftypes.Value{"role_arn": str("arn:aws:iam::123456789012:role/tuner")}),
		})
		if errs := errorDiagnostics(diags); len(errs) > 0 {
			t.Fatalf("Configure failed:%s", describeDiagnostics(errs))
		}
		if n := requests.Load(); n != 0 {
			t.Errorf("Configure made %d AWS requests, want none", n)
		}
	})
	t.Run("missing region", func(t *testing.T) {
		diags := configureWith(t, New("test")().(*awsPowerTuningProvider), map[string]tftypes.Value{
			"access_key": str("test"), "secret_key": str("test"), "endpoints": endpoints,
		})
		errs := errorDiagnostics(diags)
		if len(errs) != 1 || errs[0].Summary != "Missing AWS Region" || !strings.Contains(errs[0].Detail, "AWS_DEFAULT_REGION") {
			t.Fatalf("want one Missing AWS Region error, got:%s", describeDiagnostics(diags))
		}
	})
	t.Run("unknown profile", func(t *testing.T) {
		diags := configureWith(t, New("test")().(*awsPowerTuningProvider), map[string]tftypes.Value{
			"region": str("us-east-1"), "profile": str("nobody"),
		})
		errs := errorDiagnostics(diags)
		if len(errs) != 1 || errs[0].Summary != "Invalid AWS Configuration" || !strings.Contains(errs[0].Detail, "Original error:") {
			t.Fatalf("want one Invalid AWS Configuration error, got:%s", describeDiagnostics(diags))
		}
	})
}

func TestProviderValidation(t *testing.T) {
	server := protocolServer(t, New("test")())
	schemas := providerSchemas(t, server)
	assumeRoleTypes := providerBlockType(t, "assume_role")
	endpointTypes := providerBlockType(t, "endpoints")
	tests := []struct {
		name    string
		values  map[string]tftypes.Value
		summary string
	}{
		{"access key alone", map[string]tftypes.Value{"access_key": str("AKID")}, "Invalid Attribute Combination"},
		{"unknown retry mode", map[string]tftypes.Value{"retry_mode": str("eager")}, "Invalid Attribute Value Match"},
		{"endpoint that is not a URL", map[string]tftypes.Value{"endpoints": object(endpointTypes, map[string]tftypes.Value{"lambda": str("localhost:4566")})}, "Invalid URL"},
		{"assume role duration too long", map[string]tftypes.Value{"assume_role": object(assumeRoleTypes, map[string]tftypes.Value{
			"role_arn": str("arn:aws:iam::123456789012:role/tuner"), "duration": str("13h")})}, "Invalid Duration"},
		{"assume role without a role", map[string]tftypes.Value{"assume_role": object(assumeRoleTypes, nil)}, "Invalid Attribute Combination"},
		{"power value out of range", map[string]tftypes.Value{"default_power_values": numList(100)}, "Invalid Attribute Value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := server.ValidateProviderConfig(context.Background(), &tfprotov6.ValidateProviderConfigRequest{
				Config: configValue(t, schemas.Provider, tt.values),
			})
			if err != nil {
				t.Fatal(err)
			}
			errs := errorDiagnostics(resp.Diagnostics)
			if len(errs) != 1 || errs[0].Summary != tt.summary {
				t.Fatalf("want one %q error, got:%s", tt.summary, describeDiagnostics(resp.Diagnostics))
			}
		})
	}
}
