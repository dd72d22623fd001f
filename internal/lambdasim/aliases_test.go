package lambdasim

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

func TestAliasRules(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	v1 := publish(t, c, "fn", "")
	create := func(name, version string) (*lambda.CreateAliasOutput, error) {
		return c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: aws.String("fn"), Name: aws.String(name), FunctionVersion: aws.String(version)})
	}

	a, err := create("RAM128", "1")
	if err != nil {
		t.Fatalf("CreateAlias: %v", err)
	}
	if aws.ToString(a.AliasArn) != testARN+"fn:RAM128" || aws.ToString(a.FunctionVersion) != "1" || aws.ToString(a.RevisionId) == "" {
		t.Errorf("CreateAlias answer: %+v", a)
	}
	_, err = create("RAM128", "1")
	wantAPIError(t, err, 409, "ResourceConflictException", "Alias already exists: "+testARN+"fn:RAM128")
	_, err = create("other", "9")
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: "+testARN+"fn:9")

	const pattern = "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"
	_, err = create("123", "1")
	wantAPIError(t, err, 400, "ValidationException", "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: "+pattern)
	_, err = create("bad.name", "1")
	wantAPIError(t, err, 400, "ValidationException", "1 validation error detected: Value 'bad.name' at 'name' failed to satisfy constraint: "+pattern)
	long := strings.Repeat("a", 129)
	_, err = create(long, "1")
	wantAPIError(t, err, 400, "ValidationException", "1 validation error detected: Value '"+long+"' at 'name' failed to satisfy constraint: Member must have length less than or equal to 128")
	if _, err := create(strings.Repeat("b", 128), "$LATEST"); err != nil {
		t.Errorf("a 128-character alias on $LATEST is valid: %v", err)
	}

	_, err = c.GetAlias(ctx(t), &lambda.GetAliasInput{FunctionName: aws.String("fn"), Name: aws.String("missing")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Cannot find alias arn: "+testARN+"fn:missing")
	_, err = c.UpdateAlias(ctx(t), &lambda.UpdateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("missing"), FunctionVersion: aws.String("1")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Alias not found: "+testARN+"fn:missing")
	if _, err := c.DeleteAlias(ctx(t), &lambda.DeleteAliasInput{FunctionName: aws.String("fn"), Name: aws.String("missing")}); err != nil {
		t.Errorf("DeleteAlias of a missing alias answers 204, got %v", err)
	}

	// UpdateAlias moves the alias and changes its RevisionId; a stale one is refused.
	setMemory(t, c, 256)
	v2 := publish(t, c, "fn", "")
	up, err := c.UpdateAlias(ctx(t), &lambda.UpdateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("RAM128"), FunctionVersion: v2.Version, RevisionId: a.RevisionId})
	if err != nil {
		t.Fatalf("UpdateAlias: %v", err)
	}
	if aws.ToString(up.FunctionVersion) != "2" || aws.ToString(up.RevisionId) == aws.ToString(a.RevisionId) {
		t.Errorf("UpdateAlias answer: version %s revision %s", aws.ToString(up.FunctionVersion), aws.ToString(up.RevisionId))
	}
	_, err = c.UpdateAlias(ctx(t), &lambda.UpdateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("RAM128"), FunctionVersion: v1.Version, RevisionId: a.RevisionId})
	wantAPIError(t, err, 412, "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")

	list, err := c.ListAliases(ctx(t), &lambda.ListAliasesInput{FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Aliases) != 2 || aws.ToString(list.Aliases[0].Name) != "RAM128" {
		t.Errorf("ListAliases = %+v", list.Aliases)
	}
	only, err := c.ListAliases(ctx(t), &lambda.ListAliasesInput{FunctionName: aws.String("fn"), FunctionVersion: aws.String("2")})
	if err != nil {
		t.Fatal(err)
	}
	if len(only.Aliases) != 1 {
		t.Errorf("ListAliases for version 2 = %d aliases, want 1", len(only.Aliases))
	}
}

func TestAliasQualifierShowsTargetSettings(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn", MemorySize: 512})
	v := publish(t, c, "fn", "")
	if _, err := c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("RAM512"), FunctionVersion: v.Version}); err != nil {
		t.Fatal(err)
	}
	setMemory(t, c, 2048)

	cfg, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("fn"), Qualifier: aws.String("RAM512")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(cfg.FunctionArn) != testARN+"fn:RAM512" || aws.ToString(cfg.Version) != "1" || aws.ToInt32(cfg.MemorySize) != 512 {
		t.Errorf("alias view: ARN %s version %s memory %d; want the alias ARN, version 1, 512 MB",
			aws.ToString(cfg.FunctionArn), aws.ToString(cfg.Version), aws.ToInt32(cfg.MemorySize))
	}
	out, log := invokeTail(t, c, "fn", "RAM512", "{}")
	if aws.ToString(out.ExecutedVersion) != "1" || !strings.Contains(reportLine(t, log), "Memory Size: 512 MB") {
		t.Errorf("invoking the alias ran version %s: %s", aws.ToString(out.ExecutedVersion), reportLine(t, log))
	}
}
