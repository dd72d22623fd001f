package lambdasim

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// What a tuner needs to make and drop disposable copies of a function:
// reading a package back, creating, listing and deleting whole functions.

// download fetches a Code.Location and returns the status, body and, for
// an S3 error, its code.
func download(t *testing.T, location string) (int, []byte, string) {
	t.Helper()
	resp, err := http.Get(location)
	if err != nil {
		t.Fatalf("GET %s: %v", location, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var e struct{ Code string }
	if resp.StatusCode != http.StatusOK {
		_ = xml.Unmarshal(body, &e)
	}
	return resp.StatusCode, body, e.Code
}

func getFunction(t *testing.T, c *lambda.Client, name, qualifier string) *lambda.GetFunctionOutput {
	t.Helper()
	in := &lambda.GetFunctionInput{FunctionName: aws.String(name)}
	if qualifier != "" {
		in.Qualifier = aws.String(qualifier)
	}
	out, err := c.GetFunction(ctx(t), in)
	if err != nil {
		t.Fatalf("GetFunction %s:%s: %v", name, qualifier, err)
	}
	return out
}

// wantPackage checks that a GetFunction answer's Location serves the bytes
// its configuration describes, and returns them.
func wantPackage(t *testing.T, out *lambda.GetFunctionOutput) []byte {
	t.Helper()
	if aws.ToString(out.Code.RepositoryType) != "S3" {
		t.Fatalf("RepositoryType = %q, want S3", aws.ToString(out.Code.RepositoryType))
	}
	status, body, code := download(t, aws.ToString(out.Code.Location))
	if status != http.StatusOK {
		t.Fatalf("download: %d %s", status, code)
	}
	sum := sha256.Sum256(body)
	if got := base64.StdEncoding.EncodeToString(sum[:]); got != aws.ToString(out.Configuration.CodeSha256) || int64(len(body)) != out.Configuration.CodeSize {
		t.Errorf("downloaded %d bytes with CodeSha256 %s; the configuration says %d bytes, %s",
			len(body), got, out.Configuration.CodeSize, aws.ToString(out.Configuration.CodeSha256))
	}
	return body
}

func TestCodeLocationServesThePackage(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "preloaded"})
	in := createInput("fn")
	if _, err := c.CreateFunction(ctx(t), in); err != nil {
		t.Fatal(err)
	}
	out := getFunction(t, c, "fn", "")
	loc, err := url.Parse(aws.ToString(out.Code.Location))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; !strings.HasPrefix(got, s.URL()+"/awslambda-us-east-1-tasks/snapshots/123456789012/fn-") {
		t.Errorf("Location %s is not under the emulator's awslambda-us-east-1-tasks bucket", got)
	}
	for _, p := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
		if loc.Query().Get(p) == "" {
			t.Errorf("Location lacks the presigned URL's %s", p)
		}
	}
	if got := wantPackage(t, out); !bytes.Equal(got, in.Code.ZipFile) {
		t.Error("the download is not the uploaded zip")
	}
	// A preloaded function has a real package too.
	if pkg := wantPackage(t, getFunction(t, c, "preloaded", "")); !isZip(pkg) {
		t.Error("a preloaded function's package is not a zip")
	}

	// A version keeps the code it was published with.
	publish(t, c, "fn", "")
	waitActive(t, c, "fn")
	v2 := testZip("exports.handler = async () => 2;")
	if _, err := c.UpdateFunctionCode(ctx(t), &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("fn"), ZipFile: v2}); err != nil {
		t.Fatal(err)
	}
	if got := wantPackage(t, getFunction(t, c, "fn", "1")); !bytes.Equal(got, in.Code.ZipFile) {
		t.Error("version 1 serves another package than it was published with")
	}
	if got := wantPackage(t, getFunction(t, c, "fn", "$LATEST")); !bytes.Equal(got, v2) {
		t.Error("$LATEST does not serve its new package")
	}

	// A copy made from the download has the original's CodeSha256.
	copyIn := createInput("fn-copy")
	copyIn.Code.ZipFile = wantPackage(t, getFunction(t, c, "fn", "1"))
	made, err := c.CreateFunction(ctx(t), copyIn)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(made.CodeSha256) != codeSha256(in.Code.ZipFile) {
		t.Errorf("the copy's CodeSha256 %s differs from the original's", aws.ToString(made.CodeSha256))
	}
}

func isZip(b []byte) bool {
	_, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	return err == nil
}

// waitActive settles a function created with UpdateDelay 0.
func waitActive(t *testing.T, c *lambda.Client, name string) {
	t.Helper()
	if out := getFunction(t, c, name, ""); out.Configuration.State != types.StateActive {
		t.Fatalf("%s is %s", name, out.Configuration.State)
	}
}

func TestCodeLocationExpiresAfterTenMinutesAndIsSigned(t *testing.T) {
	clock := newFakeClock()
	_, c := startWith(t, Options{Clock: clock.Now}, FunctionSpec{Name: "fn"})
	location := aws.ToString(getFunction(t, c, "fn", "").Code.Location)

	tampered := strings.Replace(location, "X-Amz-Signature=", "X-Amz-Signature=0", 1)
	if status, _, code := download(t, tampered); status != http.StatusForbidden || code != "SignatureDoesNotMatch" {
		t.Errorf("tampered URL: %d %s, want 403 SignatureDoesNotMatch", status, code)
	}
	clock.Advance(10 * time.Minute)
	if status, _, code := download(t, location); status != http.StatusOK {
		t.Errorf("after exactly 10 minutes: %d %s, want 200", status, code)
	}
	clock.Advance(time.Second)
	if status, _, code := download(t, location); status != http.StatusForbidden || code != "AccessDenied" {
		t.Errorf("after 10 minutes and a second: %d %s, want 403 AccessDenied", status, code)
	}
	// A new GetFunction gives a fresh URL.
	if status, _, code := download(t, aws.ToString(getFunction(t, c, "fn", "").Code.Location)); status != http.StatusOK {
		t.Errorf("fresh URL: %d %s", status, code)
	}
}

func TestImageFunctions(t *testing.T) {
	_, c := startWith(t, Options{})
	const uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest"
	in := &lambda.CreateFunctionInput{FunctionName: aws.String("img"), Role: aws.String("arn:aws:iam::123456789012:role/test"),
		PackageType: types.PackageTypeImage, Code: &types.FunctionCode{ImageUri: aws.String(uri)}, MemorySize: aws.Int32(2048)}
	created, err := c.CreateFunction(ctx(t), in)
	if err != nil {
		t.Fatalf("CreateFunction of an image: %v", err)
	}
	digest := aws.ToString(created.CodeSha256)
	if created.PackageType != types.PackageTypeImage || created.CodeSize != 0 || len(digest) != 64 || created.Runtime != "" || aws.ToInt32(created.MemorySize) != 2048 {
		t.Errorf("image function: %s, size %d, CodeSha256 %q, runtime %q, %d MB", created.PackageType, created.CodeSize, digest, created.Runtime, aws.ToInt32(created.MemorySize))
	}
	got := getFunction(t, c, "img", "")
	wantCode := types.FunctionCodeLocation{RepositoryType: aws.String("ECR"), ImageUri: aws.String(uri),
		ResolvedImageUri: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:" + digest)}
	if aws.ToString(got.Code.RepositoryType) != "ECR" || aws.ToString(got.Code.ImageUri) != uri ||
		aws.ToString(got.Code.ResolvedImageUri) != aws.ToString(wantCode.ResolvedImageUri) || got.Code.Location != nil {
		t.Errorf("GetFunction Code = %+v, want %+v", got.Code, wantCode)
	}

	pinned := "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:" + strings.Repeat("ab", 32)
	out, err := c.UpdateFunctionCode(ctx(t), &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("img"), ImageUri: aws.String(pinned)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.CodeSha256) != strings.Repeat("ab", 32) {
		t.Errorf("a digest-pinned image's CodeSha256 = %s, want its digest", aws.ToString(out.CodeSha256))
	}
	_, err = c.UpdateFunctionCode(ctx(t), &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("img"), ZipFile: testZip("x")})
	wantAPIError(t, err, 400, "InvalidParameterValueException", "Please provide ImageUri when updating a function with packageType Image.")

	in.FunctionName, in.Code = aws.String("img2"), &types.FunctionCode{ZipFile: testZip("x")}
	_, err = c.CreateFunction(ctx(t), in)
	wantAPIError(t, err, 400, "InvalidParameterValueException", "Please provide ImageUri when updating a function with packageType Image.")
	zipIn := createInput("zip")
	zipIn.Code.ImageUri = aws.String(uri)
	_, err = c.CreateFunction(ctx(t), zipIn)
	wantAPIError(t, err, 400, "InvalidParameterValueException", "Please don't provide ImageUri when updating a function with packageType Zip.")
	zipIn.PackageType = "Docker"
	_, err = c.CreateFunction(ctx(t), zipIn)
	wantAPIError(t, err, 400, "ValidationException", "1 validation error detected: Value 'Docker' at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [Zip, Image]")
}

// hugeZip claims, in its directory, more than 250 MB unzipped.
func hugeZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.CreateRaw(&zip.FileHeader{Name: "big.bin", Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: maxUnzippedCode + 1})
	if err == nil {
		_, err = f.Write([]byte{0x03, 0x00})
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPackageChecks(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	create := func(code *types.FunctionCode) error {
		in := createInput("new")
		in.Code = code
		_, err := c.CreateFunction(ctx(t), in)
		return err
	}
	const notZip = "Could not unzip uploaded file. Please check your file, then try to upload again."
	wantAPIError(t, create(&types.FunctionCode{ZipFile: []byte("not a zip")}), 400, "InvalidParameterValueException", notZip)
	_, err := c.UpdateFunctionCode(ctx(t), &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("fn"), ZipFile: []byte("not a zip")})
	wantAPIError(t, err, 400, "InvalidParameterValueException", notZip)
	wantAPIError(t, create(&types.FunctionCode{ZipFile: hugeZip(t)}), 400, "InvalidParameterValueException", "Unzipped size must be smaller than 262144000 bytes")
	s.PutObject("code", "huge.zip", hugeZip(t))
	wantAPIError(t, create(&types.FunctionCode{S3Bucket: aws.String("code"), S3Key: aws.String("huge.zip")}), 400, "InvalidParameterValueException",
		"Unzipped size must be smaller than 262144000 bytes")
	wantAPIError(t, create(&types.FunctionCode{}), 400, "InvalidParameterValueException", "Please provide a source for function code.")

	// Over the request limit: refused before the body is read.
	for path, op := range map[string]string{"/2015-03-31/functions": "CreateFunction", "/2015-03-31/functions/fn/code": "UpdateFunctionCode"} {
		method := http.MethodPost
		if op == "UpdateFunctionCode" {
			method = http.MethodPut
		}
		req := httptest.NewRequest(method, path, strings.NewReader("{}"))
		req.ContentLength = 70167212
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		var body struct{ Message string }
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		want := "Request must be smaller than 70167211 bytes for the " + op + " operation"
		if rec.Code != http.StatusRequestEntityTooLarge || rec.Header().Get("X-Amzn-ErrorType") != "RequestEntityTooLargeException" || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s over the limit: %d %s %s, want 413 %q", op, rec.Code, rec.Header().Get("X-Amzn-ErrorType"), rec.Body, want)
		}
	}
}

func TestCreateFunctionNameRules(t *testing.T) {
	_, c := startWith(t, Options{})
	create := func(name string) error {
		_, err := c.CreateFunction(ctx(t), createInput(name))
		return err
	}
	const pattern = `Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`
	if err := create(strings.Repeat("a", 64)); err != nil {
		t.Errorf("a 64-character name: %v", err)
	}
	if err := create("with-dash_and_underscore-9"); err != nil {
		t.Errorf("a name of letters, digits, - and _: %v", err)
	}
	long := strings.Repeat("b", 65)
	wantAPIError(t, create(long), 400, "InvalidParameterValueException",
		"1 validation error detected: Value '"+long+"' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64")
	wantAPIError(t, create("bad.name"), 400, "InvalidParameterValueException",
		"1 validation error detected: Value 'bad.name' at 'functionName' failed to satisfy constraint: "+pattern)
	both := strings.Repeat("c", 64) + "."
	wantAPIError(t, create(both), 400, "InvalidParameterValueException",
		"2 validation errors detected: Value '"+both+"' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64; "+
			"Value '"+both+"' at 'functionName' failed to satisfy constraint: "+pattern)
	wantAPIError(t, create("with-dash_and_underscore-9"), 409, "ResourceConflictException", "Function already exist: with-dash_and_underscore-9")
	// A full ARN names the function too.
	if err := create(testARN + "by-arn"); err != nil {
		t.Errorf("CreateFunction by ARN: %v", err)
	}
	if out := getFunction(t, c, "by-arn", ""); aws.ToString(out.Configuration.FunctionName) != "by-arn" {
		t.Errorf("created by ARN as %q", aws.ToString(out.Configuration.FunctionName))
	}
}

func TestPendingFunctionRefusesChangesNotDeletion(t *testing.T) {
	clock := newFakeClock()
	_, c := startWith(t, Options{UpdateDelay: 5 * time.Second, Clock: clock.Now})
	in := createInput("fn")
	in.MemorySize, in.Architectures = aws.Int32(3008), []types.Architecture{types.ArchitectureArm64}
	in.Environment = &types.Environment{Variables: map[string]string{"SIM_CPU_MS": "100"}}
	created, err := c.CreateFunction(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if created.State != types.StatePending || aws.ToString(created.StateReason) != "The function is being created." || created.StateReasonCode != types.StateReasonCodeCreating {
		t.Errorf("CreateFunction answered %s %q %s", created.State, aws.ToString(created.StateReason), created.StateReasonCode)
	}
	if aws.ToInt32(created.MemorySize) != 3008 || created.Architectures[0] != types.ArchitectureArm64 || created.Environment.Variables["SIM_CPU_MS"] != "100" {
		t.Errorf("settings at creation: %d MB, %v, %v", aws.ToInt32(created.MemorySize), created.Architectures, created.Environment)
	}
	const pending = "The operation cannot be performed at this time. The function is currently in the following state: Pending"
	_, err = c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"), MemorySize: aws.Int32(1024)})
	wantAPIError(t, err, 409, "ResourceConflictException", pending)
	_, err = c.UpdateFunctionCode(ctx(t), &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("fn"), ZipFile: testZip("v2")})
	wantAPIError(t, err, 409, "ResourceConflictException", pending)
	_, err = c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, 409, "ResourceConflictException", pending)
	_, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, 409, "ResourceConflictException", pending)

	// Active after the delay; a copy that is no longer wanted can go while Pending.
	clock.Advance(5 * time.Second)
	if _, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Errorf("PublishVersion once Active: %v", err)
	}
	if _, err := c.CreateFunction(ctx(t), createInput("doomed")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String("doomed")}); err != nil {
		t.Errorf("DeleteFunction of a Pending function: %v", err)
	}
}

func TestDeleteFunctionTakesVersionsAndAliases(t *testing.T) {
	_, c := startWith(t, Options{AccountConcurrency: 1000}, FunctionSpec{Name: "fn", ReservedConcurrency: ptr(int32(200))})
	setMemory(t, c, 256)
	publish(t, c, "fn", "")
	setMemory(t, c, 512)
	publish(t, c, "fn", "")
	if _, err := c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("live"), FunctionVersion: aws.String("2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	notFound := "Function not found: " + testARN + "fn"
	_, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn:1")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", notFound+":1")
	_, err = c.GetAlias(ctx(t), &lambda.GetAliasInput{FunctionName: aws.String("fn"), Name: aws.String("live")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", notFound)
	_, err = c.ListVersionsByFunction(ctx(t), &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", notFound)
	settings, err := c.GetAccountSettings(ctx(t), &lambda.GetAccountSettingsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToInt32(settings.AccountLimit.UnreservedConcurrentExecutions); got != 1000 {
		t.Errorf("UnreservedConcurrentExecutions = %d after deleting the reserving function, want 1000", got)
	}

	// A function made again under the name starts afresh.
	if _, err := c.CreateFunction(ctx(t), createInput("fn")); err != nil {
		t.Fatal(err)
	}
	versions, err := c.ListVersionsByFunction(ctx(t), &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}
	if len(versions.Versions) != 1 || aws.ToString(versions.Versions[0].Version) != "$LATEST" {
		t.Errorf("the new function has versions %v", versions.Versions)
	}
	if v := publish(t, c, "fn", ""); aws.ToString(v.Version) != "1" {
		t.Errorf("the new function's first version is %s, want 1", aws.ToString(v.Version))
	}
	got := getFunction(t, c, "fn", "")
	if got.Concurrency != nil {
		t.Errorf("the new function inherited reserved concurrency %v", got.Concurrency)
	}
}

func TestListFunctionsPagesOfFifty(t *testing.T) {
	const n = 120
	var specs []FunctionSpec
	for i := range n {
		specs = append(specs, FunctionSpec{Name: fmt.Sprintf("fn-%03d", i)})
	}
	s, c := startWith(t, Options{}, specs...)
	if _, err := s.AddFunction(FunctionSpec{Name: "elsewhere", Region: "eu-west-1"}); err != nil {
		t.Fatal(err)
	}
	first, err := c.ListFunctions(ctx(t), &lambda.ListFunctionsInput{MaxItems: aws.Int32(100)})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Functions) != 50 || first.NextMarker == nil {
		t.Fatalf("MaxItems 100: %d functions, NextMarker %v; want a page of 50 and a marker", len(first.Functions), first.NextMarker)
	}
	fn := first.Functions[0]
	if fn.State != "" || fn.LastUpdateStatus != "" || fn.RuntimeVersionConfig != nil || aws.ToInt32(fn.MemorySize) != 128 || aws.ToString(fn.FunctionArn) != testARN+"fn-000" {
		t.Errorf("ListFunctions shows %+v; AWS leaves out State, LastUpdateStatus and RuntimeVersionConfig", fn)
	}

	var names []string
	pages := 0
	p := lambda.NewListFunctionsPaginator(c, &lambda.ListFunctionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, f := range page.Functions {
			names = append(names, aws.ToString(f.FunctionName))
		}
	}
	if pages != 3 || len(names) != n || names[0] != "fn-000" || names[n-1] != "fn-119" {
		t.Errorf("paginated %d functions in %d pages (%s … %s), want %d in 3", len(names), pages, names[0], names[len(names)-1], n)
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Fatalf("names out of order or repeated: %s then %s", names[i-1], names[i])
		}
	}
}

func TestListFunctionsAllVersions(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "a"}, FunctionSpec{Name: "b"})
	publish(t, c, "a", "")
	out, err := c.ListFunctions(ctx(t), &lambda.ListFunctionsInput{FunctionVersion: types.FunctionVersionAll})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range out.Functions {
		got = append(got, aws.ToString(f.FunctionName)+":"+aws.ToString(f.Version))
	}
	if strings.Join(got, " ") != "a:$LATEST a:1 b:$LATEST" {
		t.Errorf("FunctionVersion ALL lists %v", got)
	}
	_, err = c.ListFunctions(ctx(t), &lambda.ListFunctionsInput{FunctionVersion: "SOME"})
	wantAPIError(t, err, 400, "ValidationException",
		"1 validation error detected: Value 'SOME' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]")
}
