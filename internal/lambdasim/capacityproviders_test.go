package lambdasim

import (
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// providerInput is a complete CreateCapacityProvider request.
func newProviderInput(name string) *lambda.CreateCapacityProviderInput {
	return &lambda.CreateCapacityProviderInput{
		CapacityProviderName: aws.String(name),
		PermissionsConfig:    &types.CapacityProviderPermissionsConfig{CapacityProviderOperatorRoleArn: aws.String("arn:aws:iam::123456789012:role/operator")},
		VpcConfig:            &types.CapacityProviderVpcConfig{SubnetIds: []string{"subnet-1", "subnet-2"}, SecurityGroupIds: []string{"sg-1"}},
	}
}

// TestCapacityProviderLifecycle: created Pending, Active after
// CapacityProviderDelay, shown with what was asked and AWS's defaults.
func TestCapacityProviderLifecycle(t *testing.T) {
	clock := newFakeClock()
	_, c := startWith(t, Options{CapacityProviderDelay: 30 * time.Second, Clock: clock.Now})

	in := newProviderInput("fleet-a")
	in.InstanceRequirements = &types.InstanceRequirements{Architectures: []types.Architecture{types.ArchitectureArm64}, AllowedInstanceTypes: []string{"m7g.xlarge", "c7g.2xlarge"}}
	in.CapacityProviderScalingConfig = &types.CapacityProviderScalingConfig{MaxVCpuCount: aws.Int32(64), ScalingMode: types.CapacityProviderScalingModeManual,
		ScalingPolicies: []types.TargetTrackingScalingPolicy{{PredefinedMetricType: types.CapacityProviderPredefinedMetricTypeLambdaCapacityProviderAverageCPUUtilization, TargetValue: aws.Float64(60)}}}
	in.KmsKeyArn = aws.String("arn:aws:kms:us-east-1:123456789012:key/k")
	created, err := c.CreateCapacityProvider(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	cp := created.CapacityProvider
	const arn = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet-a"
	if aws.ToString(cp.CapacityProviderArn) != arn || cp.State != types.CapacityProviderStatePending {
		t.Fatalf("created %s in state %s", aws.ToString(cp.CapacityProviderArn), cp.State)
	}
	if !reflect.DeepEqual(cp.InstanceRequirements.AllowedInstanceTypes, []string{"m7g.xlarge", "c7g.2xlarge"}) ||
		!reflect.DeepEqual(cp.InstanceRequirements.Architectures, []types.Architecture{types.ArchitectureArm64}) {
		t.Errorf("InstanceRequirements = %+v", cp.InstanceRequirements)
	}
	sc := cp.CapacityProviderScalingConfig
	if aws.ToInt32(sc.MaxVCpuCount) != 64 || sc.ScalingMode != types.CapacityProviderScalingModeManual || len(sc.ScalingPolicies) != 1 || aws.ToFloat64(sc.ScalingPolicies[0].TargetValue) != 60 {
		t.Errorf("CapacityProviderScalingConfig = %+v", sc)
	}
	if aws.ToString(cp.PermissionsConfig.CapacityProviderOperatorRoleArn) != "arn:aws:iam::123456789012:role/operator" ||
		!reflect.DeepEqual(cp.VpcConfig.SubnetIds, []string{"subnet-1", "subnet-2"}) || aws.ToString(cp.KmsKeyArn) != aws.ToString(in.KmsKeyArn) || aws.ToString(cp.LastModified) == "" {
		t.Errorf("created %+v", cp)
	}

	get := func(name string) *types.CapacityProvider {
		t.Helper()
		out, err := c.GetCapacityProvider(ctx(t), &lambda.GetCapacityProviderInput{CapacityProviderName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		return out.CapacityProvider
	}
	clock.Advance(29 * time.Second)
	if got := get("fleet-a").State; got != types.CapacityProviderStatePending {
		t.Errorf("after 29s: %s, want Pending", got)
	}
	clock.Advance(time.Second)
	if got := get(arn).State; got != types.CapacityProviderStateActive {
		t.Errorf("after 30s (by ARN): %s, want Active", got)
	}

	// Defaults for what was left out.
	if _, err := c.CreateCapacityProvider(ctx(t), newProviderInput("fleet-b")); err != nil {
		t.Fatal(err)
	}
	b := get("fleet-b")
	if !reflect.DeepEqual(b.InstanceRequirements.Architectures, []types.Architecture{types.ArchitectureX8664}) ||
		b.CapacityProviderScalingConfig.ScalingMode != types.CapacityProviderScalingModeAuto || aws.ToInt32(b.CapacityProviderScalingConfig.MaxVCpuCount) != defaultMaxVCpuCount {
		t.Errorf("defaults: %+v %+v", b.InstanceRequirements, b.CapacityProviderScalingConfig)
	}

	_, err = c.CreateCapacityProvider(ctx(t), newProviderInput("fleet-a"))
	wantAPIError(t, err, http.StatusConflict, "ResourceConflictException", "Capacity provider already exists: fleet-a")
	_, err = c.GetCapacityProvider(ctx(t), &lambda.GetCapacityProviderInput{CapacityProviderName: aws.String("nope")})
	wantAPIError(t, err, http.StatusNotFound, "ResourceNotFoundException", "Capacity provider not found: arn:aws:lambda:us-east-1:123456789012:capacity-provider:nope")

	updated, err := c.UpdateCapacityProvider(ctx(t), &lambda.UpdateCapacityProviderInput{CapacityProviderName: aws.String("fleet-b"),
		CapacityProviderScalingConfig: &types.CapacityProviderScalingConfig{MaxVCpuCount: aws.Int32(16)}})
	if err != nil {
		t.Fatal(err)
	}
	if n := aws.ToInt32(updated.CapacityProvider.CapacityProviderScalingConfig.MaxVCpuCount); n != 16 {
		t.Errorf("updated MaxVCpuCount = %d", n)
	}
}

func TestListCapacityProvidersPaginates(t *testing.T) {
	clock := newFakeClock()
	_, c := startWith(t, Options{CapacityProviderDelay: time.Minute, Clock: clock.Now})
	for i := range 5 {
		if _, err := c.CreateCapacityProvider(ctx(t), newProviderInput("fleet-"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	pages := lambda.NewListCapacityProvidersPaginator(c, &lambda.ListCapacityProvidersInput{MaxItems: aws.Int32(2)})
	n := 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		n++
		for _, p := range page.CapacityProviders {
			names = append(names, aws.ToString(p.CapacityProviderArn)[len("arn:aws:lambda:us-east-1:123456789012:capacity-provider:"):])
		}
	}
	if n != 3 || !reflect.DeepEqual(names, []string{"fleet-0", "fleet-1", "fleet-2", "fleet-3", "fleet-4"}) {
		t.Errorf("%d pages: %v", n, names)
	}
	active, err := c.ListCapacityProviders(ctx(t), &lambda.ListCapacityProvidersInput{State: types.CapacityProviderStateActive})
	if err != nil || len(active.CapacityProviders) != 0 {
		t.Fatalf("Active before the delay: %v, %v", active, err)
	}
	clock.Advance(time.Minute)
	active, err = c.ListCapacityProviders(ctx(t), &lambda.ListCapacityProvidersInput{State: types.CapacityProviderStateActive})
	if err != nil || len(active.CapacityProviders) != 5 {
		t.Fatalf("Active after the delay: %v, %v", active, err)
	}
}

func TestCreateCapacityProviderValidation(t *testing.T) {
	_, c := startWith(t, Options{})
	tests := []struct {
		name   string
		modify func(*lambda.CreateCapacityProviderInput)
		code   string
		msg    string
	}{
		{"bad-name", func(in *lambda.CreateCapacityProviderInput) { in.CapacityProviderName = aws.String("no spaces") }, "ValidationException",
			"1 validation error detected: Value 'no spaces' at 'capacityProviderName' failed to satisfy constraint: Member must satisfy regular expression pattern: " + providerNamePattern},
		{"max-vcpu", func(in *lambda.CreateCapacityProviderInput) {
			in.CapacityProviderScalingConfig = &types.CapacityProviderScalingConfig{MaxVCpuCount: aws.Int32(1)}
		}, "ValidationException",
			"1 validation error detected: Value '1' at 'capacityProviderScalingConfig.maxVCpuCount' failed to satisfy constraint: Member must have value greater than or equal to 2"},
		{"manual-without-policies", func(in *lambda.CreateCapacityProviderInput) {
			in.CapacityProviderScalingConfig = &types.CapacityProviderScalingConfig{ScalingMode: types.CapacityProviderScalingModeManual}
		}, "InvalidParameterValueException", "ScalingPolicies are required when ScalingMode is Manual."},
		{"unknown-instance-type", func(in *lambda.CreateCapacityProviderInput) {
			in.InstanceRequirements = &types.InstanceRequirements{AllowedInstanceTypes: []string{"t2.nano"}}
		}, "InvalidParameterValueException", "Unsupported instance type: t2.nano."},
		{"instance-of-other-architecture", func(in *lambda.CreateCapacityProviderInput) {
			in.InstanceRequirements = &types.InstanceRequirements{AllowedInstanceTypes: []string{"m7g.large"}}
		}, "InvalidParameterValueException", "Instance type m7g.large does not support architecture x86_64."},
		{"allowed-and-excluded", func(in *lambda.CreateCapacityProviderInput) {
			in.InstanceRequirements = &types.InstanceRequirements{AllowedInstanceTypes: []string{"m7i.large"}, ExcludedInstanceTypes: []string{"c7i.large"}}
		}, "InvalidParameterValueException", "AllowedInstanceTypes and ExcludedInstanceTypes cannot be specified together."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := newProviderInput("fleet")
			tc.modify(in)
			_, err := c.CreateCapacityProvider(ctx(t), in)
			wantAPIError(t, err, http.StatusBadRequest, tc.code, tc.msg)
		})
	}
}

// TestFunctionsOnCapacityProvider: a function may only be created on an
// Active provider that exists; its versions are listed by the provider,
// which cannot be deleted while they exist.
func TestFunctionsOnCapacityProvider(t *testing.T) {
	clock := newFakeClock()
	_, c := startWith(t, Options{CapacityProviderDelay: 10 * time.Second, ManagedVersionDelay: 20 * time.Second, Clock: clock.Now})
	const arn = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet"
	lmiInput := func(name string) *lambda.CreateFunctionInput {
		in := createInput(name)
		in.CapacityProviderConfig = &types.CapacityProviderConfig{LambdaManagedInstancesCapacityProviderConfig: &types.LambdaManagedInstancesCapacityProviderConfig{
			CapacityProviderArn: aws.String(arn), ExecutionEnvironmentMemoryGiBPerVCpu: aws.Float64(2)}}
		return in
	}
	_, err := c.CreateFunction(ctx(t), lmiInput("early"))
	wantAPIError(t, err, http.StatusBadRequest, "InvalidParameterValueException", "Capacity provider not found: "+arn)

	if _, err := c.CreateCapacityProvider(ctx(t), newProviderInput("fleet")); err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateFunction(ctx(t), lmiInput("pending"))
	wantAPIError(t, err, http.StatusConflict, "ResourceConflictException",
		"The operation cannot be performed at this time. The capacity provider "+arn+" is currently in the following state: Pending")

	clock.Advance(10 * time.Second)
	created, err := c.CreateFunction(ctx(t), lmiInput("fn"))
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(created.MemorySize) != defaultManagedMemory {
		t.Errorf("MemorySize = %d, want the managed-instances default %d", aws.ToInt32(created.MemorySize), defaultManagedMemory)
	}
	v, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}
	if v.State != types.StatePending || v.LastUpdateStatus != types.LastUpdateStatusInProgress || v.StateReasonCode != types.StateReasonCodeCreating {
		t.Errorf("new version: %s/%s/%s, want Pending/InProgress/Creating", v.State, v.LastUpdateStatus, v.StateReasonCode)
	}
	_, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn"), Qualifier: aws.String("1")})
	wantAPIError(t, err, http.StatusConflict, "ResourceConflictException", "The operation cannot be performed at this time. The function is currently in the following state: Pending")

	users := func() []types.FunctionVersionsByCapacityProviderListItem {
		t.Helper()
		out, err := c.ListFunctionVersionsByCapacityProvider(ctx(t), &lambda.ListFunctionVersionsByCapacityProviderInput{CapacityProviderName: aws.String("fleet")})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.CapacityProviderArn) != arn {
			t.Errorf("CapacityProviderArn = %s", aws.ToString(out.CapacityProviderArn))
		}
		return out.FunctionVersions
	}
	fnARN := "arn:aws:lambda:us-east-1:123456789012:function:fn"
	want := []types.FunctionVersionsByCapacityProviderListItem{{FunctionArn: aws.String(fnARN + ":$LATEST"), State: types.StateActive}, {FunctionArn: aws.String(fnARN + ":1"), State: types.StatePending}}
	if got := users(); !reflect.DeepEqual(got, want) {
		t.Errorf("versions = %+v", got)
	}
	clock.Advance(20 * time.Second)
	cfg, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("fn"), Qualifier: aws.String("1")})
	if err != nil || cfg.State != types.StateActive || cfg.LastUpdateStatus != types.LastUpdateStatusSuccessful {
		t.Fatalf("version 1 after the delay: %v %v", cfg, err)
	}
	_, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, http.StatusBadRequest, "InvalidParameterValueException",
		"Functions on a capacity provider can only be invoked through a published version or an alias: $LATEST of "+fnARN+" is not invocable.")
	if _, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn"), Qualifier: aws.String("1")}); err != nil {
		t.Fatal(err)
	}

	_, err = c.DeleteCapacityProvider(ctx(t), &lambda.DeleteCapacityProviderInput{CapacityProviderName: aws.String("fleet")})
	wantAPIError(t, err, http.StatusConflict, "ResourceConflictException",
		"Capacity provider "+arn+" cannot be deleted while function versions use it: ["+fnARN+":$LATEST, "+fnARN+":1]")
	if _, err := c.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	deleted, err := c.DeleteCapacityProvider(ctx(t), &lambda.DeleteCapacityProviderInput{CapacityProviderName: aws.String("fleet")})
	if err != nil {
		t.Fatal(err)
	}
	if deleted.CapacityProvider.State != types.CapacityProviderStateDeleting {
		t.Errorf("deleted: %s", deleted.CapacityProvider.State)
	}
	_, err = c.GetCapacityProvider(ctx(t), &lambda.GetCapacityProviderInput{CapacityProviderName: aws.String("fleet")})
	wantAPIError(t, err, http.StatusNotFound, "ResourceNotFoundException", "Capacity provider not found: "+arn)
}

// TestManagedFunctionValidation: memory, memory per vCPU, concurrency and
// the provider's instances, with AWS-like 400s.
func TestManagedFunctionValidation(t *testing.T) {
	s, c := startWith(t, Options{})
	if _, err := s.AddCapacityProvider(CapacityProviderDefinition{Name: "small", AllowedInstanceTypes: []string{"c7i.large"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCapacityProvider(CapacityProviderDefinition{Name: "fleet"}); err != nil {
		t.Fatal(err)
	}
	const mi = "capacityProviderConfig.lambdaManagedInstancesCapacityProviderConfig"
	tests := []struct {
		name     string
		provider string
		memory   int32
		ratio    float64
		maxConc  int32
		arch     types.Architecture
		status   int
		code     string
		msg      string
	}{
		{"memory-too-small", "fleet", 1024, 0, 0, "", 400, "ValidationException",
			"1 validation error detected: Value '1024' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 2048"},
		{"memory-too-large", "fleet", 32769, 0, 0, "", 400, "ValidationException",
			"1 validation error detected: Value '32769' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 32768"},
		{"ratio-not-offered", "fleet", 4096, 3, 0, "", 400, "InvalidParameterValueException",
			"ExecutionEnvironmentMemoryGiBPerVCpu must be 2.0, 4.0 or 8.0, not 3.0."},
		{"ratio-out-of-range", "fleet", 4096, 1, 0, "", 400, "ValidationException",
			"1 validation error detected: Value '1.0' at '" + mi + ".executionEnvironmentMemoryGiBPerVCpu' failed to satisfy constraint: Member must have value greater than or equal to 2.0"},
		{"under-one-vcpu", "fleet", 4096, 8, 0, "", 400, "InvalidParameterValueException",
			"MemorySize 4096 MB is less than one vCPU at 8.0 GiB per vCPU: use at least 8192 MB."},
		{"concurrency", "fleet", 4096, 2, 1601, "", 400, "ValidationException",
			"1 validation error detected: Value '1601' at '" + mi + ".perExecutionEnvironmentMaxConcurrency' failed to satisfy constraint: Member must have value less than or equal to 1600"},
		{"no-instance-fits", "small", 8192, 2, 0, "", 400, "InvalidParameterValueException",
			"No instance type of capacity provider arn:aws:lambda:us-east-1:123456789012:capacity-provider:small fits an execution environment of 8192 MB and 4.0 vCPUs."},
		{"other-architecture", "fleet", 4096, 2, 0, types.ArchitectureArm64, 400, "InvalidParameterValueException",
			"The function's architecture arm64 is not supported by capacity provider arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet, whose instances are x86_64."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := createInput(tc.name)
			in.MemorySize = aws.Int32(tc.memory)
			cfg := &types.LambdaManagedInstancesCapacityProviderConfig{CapacityProviderArn: aws.String("arn:aws:lambda:us-east-1:123456789012:capacity-provider:" + tc.provider)}
			if tc.ratio != 0 {
				cfg.ExecutionEnvironmentMemoryGiBPerVCpu = aws.Float64(tc.ratio)
			}
			if tc.maxConc != 0 {
				cfg.PerExecutionEnvironmentMaxConcurrency = aws.Int32(tc.maxConc)
			}
			if tc.arch != "" {
				in.Architectures = []types.Architecture{tc.arch}
			}
			in.CapacityProviderConfig = &types.CapacityProviderConfig{LambdaManagedInstancesCapacityProviderConfig: cfg}
			_, err := c.CreateFunction(ctx(t), in)
			wantAPIError(t, err, tc.status, tc.code, tc.msg)
		})
	}
	// The largest environment fits, and so does its update back to the smallest.
	in := createInput("largest")
	in.MemorySize = aws.Int32(32768)
	in.CapacityProviderConfig = &types.CapacityProviderConfig{LambdaManagedInstancesCapacityProviderConfig: &types.LambdaManagedInstancesCapacityProviderConfig{
		CapacityProviderArn: aws.String("arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet"), ExecutionEnvironmentMemoryGiBPerVCpu: aws.Float64(2)}}
	if _, err := c.CreateFunction(ctx(t), in); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("largest"), MemorySize: aws.Int32(2048)}); err != nil {
		t.Fatal(err)
	}
	_, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("largest"), MemorySize: aws.Int32(128)})
	wantAPIError(t, err, http.StatusBadRequest, "ValidationException",
		"1 validation error detected: Value '128' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 2048")
}
