package lambdasim

import (
	"net/http"
	"reflect"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

const testCapacityProvider = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet-1"

// kinds are the creation-time blocks of one function, as the SDK types them.
type kinds struct {
	tenancy  *types.TenancyConfig
	durable  *types.DurableConfig
	capacity *types.CapacityProviderConfig
}

func kindsOf(c *types.FunctionConfiguration) kinds {
	return kinds{c.TenancyConfig, c.DurableConfig, c.CapacityProviderConfig}
}

func wantKinds(t *testing.T, what string, got, want kinds) {
	t.Helper()
	if !reflect.DeepEqual(got.tenancy, want.tenancy) {
		t.Errorf("%s: TenancyConfig = %+v, want %+v", what, got.tenancy, want.tenancy)
	}
	if !reflect.DeepEqual(got.durable, want.durable) {
		t.Errorf("%s: DurableConfig = %s, want %s", what, durableString(got.durable), durableString(want.durable))
	}
	if !reflect.DeepEqual(got.capacity, want.capacity) {
		t.Errorf("%s: CapacityProviderConfig = %s, want %s", what, capacityString(got.capacity), capacityString(want.capacity))
	}
}

func durableString(d *types.DurableConfig) string {
	if d == nil {
		return "nil"
	}
	return "{ExecutionTimeout:" + intString(d.ExecutionTimeout) + " RetentionPeriodInDays:" + intString(d.RetentionPeriodInDays) + " KMSKeyArn:" + aws.ToString(d.KMSKeyArn) + "}"
}

func capacityString(c *types.CapacityProviderConfig) string {
	if c == nil || c.LambdaManagedInstancesCapacityProviderConfig == nil {
		return "nil"
	}
	mi := c.LambdaManagedInstancesCapacityProviderConfig
	mem := "nil"
	if mi.ExecutionEnvironmentMemoryGiBPerVCpu != nil {
		mem = javaDouble(*mi.ExecutionEnvironmentMemoryGiBPerVCpu)
	}
	return "{" + aws.ToString(mi.CapacityProviderArn) + " GiBPerVCpu:" + mem + " MaxConcurrency:" + intString(mi.PerExecutionEnvironmentMaxConcurrency) + "}"
}

func intString(p *int32) string {
	if p == nil {
		return "nil"
	}
	return strconv.Itoa(int(*p))
}

var kindCases = []struct {
	name string
	give kinds
	want kinds // what AWS shows back; zero: give
}{
	{name: "plain"},
	{name: "tenant", give: kinds{tenancy: &types.TenancyConfig{TenantIsolationMode: types.TenantIsolationModePerTenant}}},
	{
		name: "durable",
		give: kinds{durable: &types.DurableConfig{ExecutionTimeout: aws.Int32(3600), RetentionPeriodInDays: aws.Int32(30),
			KMSKeyArn: aws.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")}},
	},
	{
		// RetentionPeriodInDays left out: AWS keeps the history 14 days.
		name: "durable-default-retention",
		give: kinds{durable: &types.DurableConfig{ExecutionTimeout: aws.Int32(900)}},
		want: kinds{durable: &types.DurableConfig{ExecutionTimeout: aws.Int32(900), RetentionPeriodInDays: aws.Int32(14)}},
	},
	{
		name: "managed-instances",
		give: kinds{capacity: &types.CapacityProviderConfig{LambdaManagedInstancesCapacityProviderConfig: &types.LambdaManagedInstancesCapacityProviderConfig{
			CapacityProviderArn: aws.String(testCapacityProvider), ExecutionEnvironmentMemoryGiBPerVCpu: aws.Float64(4),
			PerExecutionEnvironmentMaxConcurrency: aws.Int32(64)}}},
	},
	{
		name: "managed-instances-arn-only",
		give: kinds{capacity: &types.CapacityProviderConfig{LambdaManagedInstancesCapacityProviderConfig: &types.LambdaManagedInstancesCapacityProviderConfig{
			CapacityProviderArn: aws.String(testCapacityProvider)}}},
	},
	{
		name: "all-three",
		give: kinds{
			tenancy: &types.TenancyConfig{TenantIsolationMode: types.TenantIsolationModePerTenant},
			durable: &types.DurableConfig{ExecutionTimeout: aws.Int32(60), RetentionPeriodInDays: aws.Int32(1)},
			capacity: &types.CapacityProviderConfig{LambdaManagedInstancesCapacityProviderConfig: &types.LambdaManagedInstancesCapacityProviderConfig{
				CapacityProviderArn: aws.String(testCapacityProvider), ExecutionEnvironmentMemoryGiBPerVCpu: aws.Float64(8)}},
		},
	},
}

// TestCreationOnlyConfigIsKept: CreateFunction's TenancyConfig, DurableConfig
// and CapacityProviderConfig come back from every read exactly as given, and
// a copy made from what GetFunction shows has the same configuration.
func TestCreationOnlyConfigIsKept(t *testing.T) {
	s, c := startWith(t, Options{})
	addTestProvider(t, s)
	for _, tc := range kindCases {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == (kinds{}) {
				want = tc.give
			}
			in := createInput(tc.name)
			in.TenancyConfig, in.DurableConfig, in.CapacityProviderConfig = tc.give.tenancy, tc.give.durable, tc.give.capacity
			if tc.give.capacity != nil {
				in.MemorySize = aws.Int32(8192) // a whole vCPU at up to 8 GiB per vCPU
			}
			created, err := c.CreateFunction(ctx(t), in)
			if err != nil {
				t.Fatal(err)
			}
			wantKinds(t, "CreateFunction", kinds{created.TenancyConfig, created.DurableConfig, created.CapacityProviderConfig}, want)
			waitActive(t, c, tc.name)

			got := getFunction(t, c, tc.name, "")
			wantKinds(t, "GetFunction", kindsOf(got.Configuration), want)
			cfg, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(tc.name)})
			if err != nil {
				t.Fatal(err)
			}
			wantKinds(t, "GetFunctionConfiguration", kinds{cfg.TenancyConfig, cfg.DurableConfig, cfg.CapacityProviderConfig}, want)

			// A published version freezes them too.
			v, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String(tc.name)})
			if err != nil {
				t.Fatal(err)
			}
			wantKinds(t, "PublishVersion", kinds{v.TenancyConfig, v.DurableConfig, v.CapacityProviderConfig}, want)
			wantKinds(t, "GetFunction of version 1", kindsOf(getFunction(t, c, tc.name, "1").Configuration), want)

			// A copy made from the source's configuration matches it.
			src := got.Configuration
			copyIn := createInput(tc.name + "-copy")
			copyIn.TenancyConfig, copyIn.DurableConfig, copyIn.CapacityProviderConfig = src.TenancyConfig, src.DurableConfig, src.CapacityProviderConfig
			copyIn.MemorySize = src.MemorySize
			if _, err := c.CreateFunction(ctx(t), copyIn); err != nil {
				t.Fatal(err)
			}
			wantKinds(t, "the copy", kindsOf(getFunction(t, c, tc.name+"-copy", "").Configuration), kindsOf(src))
		})
	}
}

// TestFunctionSpecCreatesEveryKind: the preload file and AddFunction make
// the same functions CreateFunction does.
func TestFunctionSpecCreatesEveryKind(t *testing.T) {
	s := startServer(t, Options{})
	addTestProvider(t, s)
	for _, spec := range []FunctionSpec{
		{Name: "tenant", TenantIsolationMode: "PER_TENANT"},
		{Name: "durable", Durable: &DurableSpec{ExecutionTimeout: 3600, KMSKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k"}},
		{Name: "lmi", MemorySize: 4096, CapacityProvider: &CapacityProviderSpec{ARN: "fleet-1", ExecutionEnvironmentMemoryGiBPerVCpu: 4, PerExecutionEnvironmentMaxConcurrency: 32}},
	} {
		if _, err := s.AddFunction(spec); err != nil {
			t.Fatal(err)
		}
	}
	c := lambdaClient(s, "us-east-1")
	tests := []struct {
		name string
		want kinds
	}{
		{"tenant", kinds{tenancy: &types.TenancyConfig{TenantIsolationMode: types.TenantIsolationModePerTenant}}},
		{"durable", kinds{durable: &types.DurableConfig{ExecutionTimeout: aws.Int32(3600), RetentionPeriodInDays: aws.Int32(14), KMSKeyArn: aws.String("arn:aws:kms:us-east-1:123456789012:key/k")}}},
		{"lmi", kinds{capacity: &types.CapacityProviderConfig{LambdaManagedInstancesCapacityProviderConfig: &types.LambdaManagedInstancesCapacityProviderConfig{
			CapacityProviderArn: aws.String(testCapacityProvider), ExecutionEnvironmentMemoryGiBPerVCpu: aws.Float64(4), PerExecutionEnvironmentMaxConcurrency: aws.Int32(32)}}}},
	}
	for _, tc := range tests {
		wantKinds(t, tc.name, kindsOf(getFunction(t, c, tc.name, "").Configuration), tc.want)
	}

	s = startServer(t, Options{})
	for _, bad := range []FunctionSpec{
		{Name: "bad-mode", TenantIsolationMode: "SHARED"},
		{Name: "bad-durable", Durable: &DurableSpec{}},
		{Name: "bad-lmi", CapacityProvider: &CapacityProviderSpec{ARN: "fleet", PerExecutionEnvironmentMaxConcurrency: 5000}},
	} {
		if _, err := s.AddFunction(bad); err == nil {
			t.Errorf("AddFunction(%s) succeeded", bad.Name)
		}
	}
}

func TestCreationOnlyConfigValidation(t *testing.T) {
	_, c := startWith(t, Options{})
	const mi = "capacityProviderConfig.lambdaManagedInstancesCapacityProviderConfig"
	capacity := func(m *types.LambdaManagedInstancesCapacityProviderConfig) kinds {
		return kinds{capacity: &types.CapacityProviderConfig{LambdaManagedInstancesCapacityProviderConfig: m}}
	}
	tests := []struct {
		name    string
		give    kinds
		code    string
		message string
	}{
		{"unknown-mode", kinds{tenancy: &types.TenancyConfig{TenantIsolationMode: "SHARED"}}, "ValidationException",
			"1 validation error detected: Value 'SHARED' at 'tenancyConfig.tenantIsolationMode' failed to satisfy constraint: Member must satisfy enum value set: [PER_TENANT]"},
		{"no-timeout", kinds{durable: &types.DurableConfig{RetentionPeriodInDays: aws.Int32(3)}}, "InvalidParameterValueException",
			"DurableConfig.ExecutionTimeout is required."},
		{"timeout-too-long", kinds{durable: &types.DurableConfig{ExecutionTimeout: aws.Int32(31622401)}}, "ValidationException",
			"1 validation error detected: Value '31622401' at 'durableConfig.executionTimeout' failed to satisfy constraint: Member must have value less than or equal to 31622400"},
		{"retention-too-long", kinds{durable: &types.DurableConfig{ExecutionTimeout: aws.Int32(60), RetentionPeriodInDays: aws.Int32(91)}}, "ValidationException",
			"1 validation error detected: Value '91' at 'durableConfig.retentionPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 90"},
		{"not-a-capacity-provider", capacity(&types.LambdaManagedInstancesCapacityProviderConfig{CapacityProviderArn: aws.String("fleet-1")}), "ValidationException",
			"1 validation error detected: Value 'fleet-1' at '" + mi + ".capacityProviderArn' failed to satisfy constraint: Member must satisfy regular expression pattern: " + capacityProviderPattern},
		{"memory-ratio", capacity(&types.LambdaManagedInstancesCapacityProviderConfig{CapacityProviderArn: aws.String(testCapacityProvider), ExecutionEnvironmentMemoryGiBPerVCpu: aws.Float64(9)}), "ValidationException",
			"1 validation error detected: Value '9.0' at '" + mi + ".executionEnvironmentMemoryGiBPerVCpu' failed to satisfy constraint: Member must have value less than or equal to 8.0"},
		{"max-concurrency", capacity(&types.LambdaManagedInstancesCapacityProviderConfig{CapacityProviderArn: aws.String(testCapacityProvider), PerExecutionEnvironmentMaxConcurrency: aws.Int32(0)}), "ValidationException",
			"1 validation error detected: Value '0' at '" + mi + ".perExecutionEnvironmentMaxConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := createInput(tc.name)
			in.TenancyConfig, in.DurableConfig, in.CapacityProviderConfig = tc.give.tenancy, tc.give.durable, tc.give.capacity
			_, err := c.CreateFunction(ctx(t), in)
			wantAPIError(t, err, http.StatusBadRequest, tc.code, tc.message)
		})
	}
}

// TestUpdateKeepsCreationOnlyConfig: UpdateFunctionConfiguration has no
// TenancyConfig; durable execution cannot be turned on after creation, nor
// a function moved onto a capacity provider, but a durable or managed-
// instances function's own settings can be changed.
func TestUpdateKeepsCreationOnlyConfig(t *testing.T) {
	s := startServer(t, Options{})
	addTestProvider(t, s)
	for _, spec := range []FunctionSpec{
		{Name: "plain"},
		{Name: "tenant", TenantIsolationMode: "PER_TENANT"},
		{Name: "durable", Durable: &DurableSpec{ExecutionTimeout: 60}},
		{Name: "lmi", CapacityProvider: &CapacityProviderSpec{ARN: testCapacityProvider}},
	} {
		if _, err := s.AddFunction(spec); err != nil {
			t.Fatal(err)
		}
	}
	c := lambdaClient(s, "us-east-1")
	update := func(name string, in *lambda.UpdateFunctionConfigurationInput) error {
		in.FunctionName = aws.String(name)
		_, err := c.UpdateFunctionConfiguration(ctx(t), in)
		return err
	}
	newDurable := &types.DurableConfig{ExecutionTimeout: aws.Int32(120), RetentionPeriodInDays: aws.Int32(7)}
	newCapacity := &types.CapacityProviderConfig{LambdaManagedInstancesCapacityProviderConfig: &types.LambdaManagedInstancesCapacityProviderConfig{
		CapacityProviderArn: aws.String(testCapacityProvider), PerExecutionEnvironmentMaxConcurrency: aws.Int32(8)}}

	err := update("plain", &lambda.UpdateFunctionConfigurationInput{DurableConfig: newDurable})
	wantAPIError(t, err, http.StatusBadRequest, "InvalidParameterValueException",
		"DurableConfig can only be set when the function is created: durable execution cannot be enabled on an existing function.")
	err = update("plain", &lambda.UpdateFunctionConfigurationInput{CapacityProviderConfig: newCapacity})
	wantAPIError(t, err, http.StatusBadRequest, "InvalidParameterValueException",
		"CapacityProviderConfig can only be set when the function is created: an existing function cannot be moved onto a capacity provider.")

	if err := update("tenant", &lambda.UpdateFunctionConfigurationInput{MemorySize: aws.Int32(512)}); err != nil {
		t.Fatal(err)
	}
	if err := update("durable", &lambda.UpdateFunctionConfigurationInput{DurableConfig: newDurable}); err != nil {
		t.Fatal(err)
	}
	if err := update("lmi", &lambda.UpdateFunctionConfigurationInput{CapacityProviderConfig: newCapacity}); err != nil {
		t.Fatal(err)
	}
	wantKinds(t, "tenant", kindsOf(getFunction(t, c, "tenant", "").Configuration),
		kinds{tenancy: &types.TenancyConfig{TenantIsolationMode: types.TenantIsolationModePerTenant}})
	wantKinds(t, "durable", kindsOf(getFunction(t, c, "durable", "").Configuration), kinds{durable: newDurable})
	wantKinds(t, "lmi", kindsOf(getFunction(t, c, "lmi", "").Configuration), kinds{capacity: newCapacity})
	wantKinds(t, "plain", kindsOf(getFunction(t, c, "plain", "").Configuration), kinds{})
}

// addTestProvider creates the capacity provider testCapacityProvider names.
func addTestProvider(t *testing.T, s *Server) {
	t.Helper()
	if _, err := s.AddCapacityProvider(CapacityProviderDefinition{Name: "fleet-1"}); err != nil {
		t.Fatal(err)
	}
}
