package lambdasim

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

const testARN = "arn:aws:lambda:us-east-1:123456789012:function:"

func createInput(name string) *lambda.CreateFunctionInput {
	return &lambda.CreateFunctionInput{
		FunctionName: aws.String(name),
		Role:         aws.String("arn:aws:iam::123456789012:role/test"),
		Runtime:      types.RuntimeNodejs20x,
		Handler:      aws.String("index.handler"),
		Code:         &types.FunctionCode{ZipFile: testZip("exports.handler = async (e) => e;")},
	}
}

func TestCreateFunctionDefaultsAndPendingState(t *testing.T) {
	clock := newFakeClock()
	_, c := startWith(t, Options{UpdateDelay: time.Second, Clock: clock.Now})

	in := createInput("fn")
	out, err := c.CreateFunction(ctx(t), in)
	if err != nil {
		t.Fatalf("CreateFunction: %v", err)
	}
	sum := sha256.Sum256(in.Code.ZipFile)
	if got, want := aws.ToString(out.CodeSha256), base64.StdEncoding.EncodeToString(sum[:]); got != want {
		t.Errorf("CodeSha256 = %q, want %q", got, want)
	}
	if out.CodeSize != int64(len(in.Code.ZipFile)) {
		t.Errorf("CodeSize = %d", out.CodeSize)
	}
	if out.State != types.StatePending || out.LastUpdateStatus != types.LastUpdateStatusInProgress {
		t.Errorf("new function: State %q LastUpdateStatus %q, want Pending/InProgress", out.State, out.LastUpdateStatus)
	}
	checks := map[string][2]any{
		"FunctionArn":      {aws.ToString(out.FunctionArn), testARN + "fn"},
		"MemorySize":       {aws.ToInt32(out.MemorySize), int32(128)},
		"Timeout":          {aws.ToInt32(out.Timeout), int32(3)},
		"Architectures":    {len(out.Architectures) == 1 && out.Architectures[0] == types.ArchitectureX8664, true},
		"EphemeralStorage": {aws.ToInt32(out.EphemeralStorage.Size), int32(512)},
		"LogFormat":        {out.LoggingConfig.LogFormat, types.LogFormatText},
		"LogGroup":         {aws.ToString(out.LoggingConfig.LogGroup), "/aws/lambda/fn"},
		"Description":      {aws.ToString(out.Description), ""},
		"Version":          {aws.ToString(out.Version), "$LATEST"},
		"SnapStart":        {out.SnapStart.ApplyOn, types.SnapStartApplyOnNone},
		"PackageType":      {out.PackageType, types.PackageTypeZip},
	}
	for field, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %v, want %v", field, c[0], c[1])
		}
	}
	if out.Description == nil || out.RevisionId == nil || out.LastModified == nil {
		t.Errorf("Description, RevisionId and LastModified must be present: %+v", out)
	}

	// A Pending function refuses invocations and updates.
	_, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, 409, "ResourceConflictException", "The operation cannot be performed at this time. The function is currently in the following state: Pending")

	clock.Advance(time.Second)
	got, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatalf("GetFunctionConfiguration: %v", err)
	}
	if got.State != types.StateActive || got.LastUpdateStatus != types.LastUpdateStatusSuccessful {
		t.Errorf("after the delay: State %q LastUpdateStatus %q, want Active/Successful", got.State, got.LastUpdateStatus)
	}
	if aws.ToString(got.RevisionId) == aws.ToString(out.RevisionId) {
		t.Error("becoming Active must change the RevisionId")
	}

	_, err = c.CreateFunction(ctx(t), createInput("fn"))
	wantAPIError(t, err, 409, "ResourceConflictException", "Function already exist: fn")
}

func TestFunctionNamesResolveLikeAWS(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "my-fn"})
	pub, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("my-fn")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: aws.String("my-fn"), Name: aws.String("live"), FunctionVersion: pub.Version}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, qualifier string
		wantARN         string
		wantVersion     string
	}{
		{"my-fn", "", testARN + "my-fn", "$LATEST"},
		{testARN + "my-fn", "", testARN + "my-fn", "$LATEST"},
		{"123456789012:function:my-fn", "", testARN + "my-fn", "$LATEST"},
		{"my-fn:$LATEST", "", testARN + "my-fn:$LATEST", "$LATEST"},
		{"my-fn", "$LATEST", testARN + "my-fn:$LATEST", "$LATEST"},
		{testARN + "my-fn:1", "", testARN + "my-fn:1", "1"},
		{"my-fn", "1", testARN + "my-fn:1", "1"},
		{"123456789012:function:my-fn:live", "", testARN + "my-fn:live", "1"},
		{"my-fn", "live", testARN + "my-fn:live", "1"},
		{"my-fn:live", "live", testARN + "my-fn:live", "1"},
	} {
		in := &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(tc.name)}
		if tc.qualifier != "" {
			in.Qualifier = aws.String(tc.qualifier)
		}
		out, err := c.GetFunctionConfiguration(ctx(t), in)
		if err != nil {
			t.Errorf("%s (qualifier %q): %v", tc.name, tc.qualifier, err)
			continue
		}
		if aws.ToString(out.FunctionArn) != tc.wantARN || aws.ToString(out.Version) != tc.wantVersion {
			t.Errorf("%s (qualifier %q): ARN %s version %s, want %s %s", tc.name, tc.qualifier,
				aws.ToString(out.FunctionArn), aws.ToString(out.Version), tc.wantARN, tc.wantVersion)
		}
	}

	_, err = c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("my-fn:1"), Qualifier: aws.String("2")})
	wantAPIError(t, err, 400, "InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier.")
}

func TestNotFoundMessages(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})

	_, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("nope")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: "+testARN+"nope")

	for _, q := range []string{"7", "missing-alias"} {
		_, err = c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("fn"), Qualifier: aws.String(q)})
		wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: "+testARN+"fn:"+q)
		_, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn"), Qualifier: aws.String(q)})
		wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: "+testARN+"fn:"+q)
	}

	// A function ARN from another region is not reachable from this one.
	west := lambdaClient(s, "us-west-2")
	_, err = west.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String(testARN + "fn")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Functions from 'us-east-1' are not reachable in this region ('us-west-2')")
	_, err = west.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: arn:aws:lambda:us-west-2:123456789012:function:fn")
}

func TestFunctionsLiveInTheirRegion(t *testing.T) {
	s := startServer(t, Options{})
	arn, err := s.AddFunction(FunctionSpec{Name: "fn", Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if arn != "arn:aws:lambda:eu-west-1:123456789012:function:fn" {
		t.Errorf("ARN = %s", arn)
	}
	out, err := lambdaClient(s, "eu-west-1").GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String(arn)})
	if err != nil {
		t.Fatalf("GetFunction in its region: %v", err)
	}
	if aws.ToString(out.Configuration.FunctionArn) != arn {
		t.Errorf("FunctionArn = %s", aws.ToString(out.Configuration.FunctionArn))
	}
}

func TestFunctionARNsNameTheirRegionsPartition(t *testing.T) {
	s := startServer(t, Options{})
	for region, partition := range map[string]string{
		"eu-west-1": "aws", "cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov", "eusc-de-east-1": "aws-eusc",
		"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eu-isoe-west-1": "aws-iso-e", "us-isof-south-1": "aws-iso-f",
	} {
		arn, err := s.AddFunction(FunctionSpec{Name: "fn", Region: region})
		if err != nil {
			t.Fatal(err)
		}
		if want := "arn:" + partition + ":lambda:" + region + ":123456789012:function:fn"; arn != want {
			t.Errorf("ARN in %s = %s, want %s", region, arn, want)
		}
		out, err := lambdaClient(s, region).GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String(arn)})
		if err != nil {
			t.Fatalf("GetFunction %s: %v", arn, err)
		}
		if got := aws.ToString(out.Configuration.FunctionArn); got != arn {
			t.Errorf("GetFunction's FunctionArn = %s, want %s", got, arn)
		}
	}
}

func TestRangeValidation(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	update := func(in lambda.UpdateFunctionConfigurationInput) error {
		in.FunctionName = aws.String("fn")
		_, err := c.UpdateFunctionConfiguration(ctx(t), &in)
		return err
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{update(lambda.UpdateFunctionConfigurationInput{Timeout: aws.Int32(0)}),
			"Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{update(lambda.UpdateFunctionConfigurationInput{Timeout: aws.Int32(901)}),
			"Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"},
		{update(lambda.UpdateFunctionConfigurationInput{EphemeralStorage: &types.EphemeralStorage{Size: aws.Int32(511)}}),
			"Value '511' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value greater than or equal to 512"},
		{update(lambda.UpdateFunctionConfigurationInput{EphemeralStorage: &types.EphemeralStorage{Size: aws.Int32(10241)}}),
			"Value '10241' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to 10240"},
	} {
		wantAPIError(t, tc.err, 400, "ValidationException", "1 validation error detected: "+tc.want)
	}
	_, err := c.PutFunctionConcurrency(ctx(t), &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("fn"), ReservedConcurrentExecutions: aws.Int32(-1)})
	wantAPIError(t, err, 400, "ValidationException",
		"1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0")
}

func TestMemoryValidation(t *testing.T) {
	for _, tc := range []struct {
		quota  int32
		memory int32
		want   string
	}{
		{0, 127, "1 validation error detected: Value '127' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"},
		{0, 10241, "1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240"},
		{3008, 3009, "1 validation error detected: Value '3009' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 3008"},
		{3008, 10241, "1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240"},
		{3008, 3008, ""},
		{0, 10240, ""},
	} {
		_, c := startWith(t, Options{MemoryQuota: tc.quota}, FunctionSpec{Name: "fn"})
		out, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"), MemorySize: aws.Int32(tc.memory)})
		if tc.want == "" {
			if err != nil || aws.ToInt32(out.MemorySize) != tc.memory {
				t.Errorf("quota %d, memory %d: %v", tc.quota, tc.memory, err)
			}
			continue
		}
		wantAPIError(t, err, 400, "ValidationException", tc.want)

		in := createInput("other")
		in.MemorySize = aws.Int32(tc.memory)
		_, err = c.CreateFunction(ctx(t), in)
		wantAPIError(t, err, 400, "ValidationException", tc.want)
	}
}

func TestUpdateIsAsynchronous(t *testing.T) {
	clock := newFakeClock()
	_, c := startWith(t, Options{UpdateDelay: 2 * time.Second, Clock: clock.Now}, FunctionSpec{Name: "fn", MemorySize: 128})
	before, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}

	up, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("fn"), MemorySize: aws.Int32(1024), Description: aws.String("tuning"),
	})
	if err != nil {
		t.Fatalf("UpdateFunctionConfiguration: %v", err)
	}
	if up.LastUpdateStatus != types.LastUpdateStatusInProgress || aws.ToInt32(up.MemorySize) != 1024 ||
		aws.ToString(up.LastUpdateStatusReason) != "The function is being created." || up.LastUpdateStatusReasonCode != "Creating" {
		t.Errorf("update answer: %s %q %q memory %d", up.LastUpdateStatus, aws.ToString(up.LastUpdateStatusReason), up.LastUpdateStatusReasonCode, aws.ToInt32(up.MemorySize))
	}
	if aws.ToString(up.RevisionId) == aws.ToString(before.Configuration.RevisionId) {
		t.Error("an update must change the RevisionId")
	}

	inProgress := "The operation cannot be performed at this time. An update is in progress for resource: " + testARN + "fn"
	_, err = c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"), MemorySize: aws.Int32(256)})
	wantAPIError(t, err, 409, "ResourceConflictException", inProgress)
	_, err = c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, 409, "ResourceConflictException", inProgress)
	_, err = c.UpdateFunctionCode(ctx(t), &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("fn"), ZipFile: testZip("new")})
	wantAPIError(t, err, 409, "ResourceConflictException", inProgress)

	// Invocations keep the old configuration until the update settles.
	_, log := invokeTail(t, c, "fn", "", "{}")
	if line := reportLine(t, log); !strings.Contains(line, "Memory Size: 128 MB") {
		t.Errorf("during the update the old memory must run: %s", line)
	}

	clock.Advance(2 * time.Second)
	after, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}
	if after.Configuration.LastUpdateStatus != types.LastUpdateStatusSuccessful {
		t.Errorf("LastUpdateStatus = %s after the delay", after.Configuration.LastUpdateStatus)
	}
	if aws.ToString(after.Configuration.RevisionId) == aws.ToString(up.RevisionId) {
		t.Error("settling must change the RevisionId again")
	}
	out, log := invokeTail(t, c, "fn", "", "{}")
	if line := reportLine(t, log); !strings.Contains(line, "Memory Size: 1024 MB") || !strings.Contains(line, "Init Duration:") {
		t.Errorf("after the update the new memory runs, cold: %s", line)
	}
	if aws.ToString(out.ExecutedVersion) != "$LATEST" {
		t.Errorf("ExecutedVersion = %s", aws.ToString(out.ExecutedVersion))
	}
}

func TestWrongRevisionIDIsRefused(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	const msg = "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id"
	_, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"), Timeout: aws.Int32(10), RevisionId: aws.String("stale")})
	wantAPIError(t, err, 412, "PreconditionFailedException", msg)
	_, err = c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("fn"), RevisionId: aws.String("stale")})
	wantAPIError(t, err, 412, "PreconditionFailedException", msg)

	cur, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"), Timeout: aws.Int32(10), RevisionId: cur.RevisionId}); err != nil {
		t.Errorf("the current RevisionId must be accepted: %v", err)
	}
}

func TestFunctionUpdatedV2WaiterCompletes(t *testing.T) {
	_, c := startWith(t, Options{UpdateDelay: 30 * time.Millisecond}, FunctionSpec{Name: "fn"})
	if _, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"), MemorySize: aws.Int32(2048)}); err != nil {
		t.Fatal(err)
	}
	w := lambda.NewFunctionUpdatedV2Waiter(c, func(o *lambda.FunctionUpdatedV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	out, err := w.WaitForOutput(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")}, 10*time.Second)
	if err != nil {
		t.Fatalf("FunctionUpdatedV2 waiter: %v", err)
	}
	if out.Configuration.LastUpdateStatus != types.LastUpdateStatusSuccessful || aws.ToInt32(out.Configuration.MemorySize) != 2048 {
		t.Errorf("waiter ended with %s, memory %d", out.Configuration.LastUpdateStatus, aws.ToInt32(out.Configuration.MemorySize))
	}
}

func TestConfigurationRoundTripsThroughTheSDK(t *testing.T) {
	_, c := startWith(t, Options{})
	in := createInput("full")
	in.MemorySize = aws.Int32(1536)
	in.Timeout = aws.Int32(30)
	in.Description = aws.String("described")
	in.Architectures = []types.Architecture{types.ArchitectureArm64}
	in.Environment = &types.Environment{Variables: map[string]string{"SIM_CPU_MS": "50"}}
	in.LoggingConfig = &types.LoggingConfig{LogFormat: types.LogFormatJson}
	in.SnapStart = &types.SnapStart{ApplyOn: types.SnapStartApplyOnPublishedVersions}
	in.EphemeralStorage = &types.EphemeralStorage{Size: aws.Int32(1024)}
	if _, err := c.CreateFunction(ctx(t), in); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("full")})
	if err != nil {
		t.Fatal(err)
	}
	cfg := got.Configuration
	if aws.ToInt32(cfg.MemorySize) != 1536 || aws.ToInt32(cfg.Timeout) != 30 || aws.ToString(cfg.Description) != "described" ||
		cfg.Architectures[0] != types.ArchitectureArm64 || cfg.Environment.Variables["SIM_CPU_MS"] != "50" ||
		cfg.LoggingConfig.LogFormat != types.LogFormatJson || cfg.LoggingConfig.ApplicationLogLevel != types.ApplicationLogLevelInfo ||
		cfg.SnapStart.ApplyOn != types.SnapStartApplyOnPublishedVersions || aws.ToInt32(cfg.EphemeralStorage.Size) != 1024 ||
		cfg.Runtime != types.RuntimeNodejs20x || aws.ToString(cfg.Handler) != "index.handler" {
		t.Errorf("configuration did not round-trip: %+v", cfg)
	}
	if got.Code == nil || aws.ToString(got.Code.RepositoryType) != "S3" {
		t.Errorf("GetFunction Code = %+v", got.Code)
	}
}

func TestUpdateFunctionCodeChangesTheHash(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	out, err := c.UpdateFunctionCode(ctx(t), &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("fn"), ZipFile: testZip("v2")})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(testZip("v2"))
	if aws.ToString(out.CodeSha256) != base64.StdEncoding.EncodeToString(sum[:]) || out.LastUpdateStatus != types.LastUpdateStatusInProgress {
		t.Errorf("UpdateFunctionCode: sha %s status %s", aws.ToString(out.CodeSha256), out.LastUpdateStatus)
	}
}

func TestDeleteFunction(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	if _, err := c.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatalf("DeleteFunction: %v", err)
	}
	_, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: "+testARN+"fn")
	_, err = c.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: "+testARN+"fn")
}
