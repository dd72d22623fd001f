package lambdasim

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

func listTags(t *testing.T, c *lambda.Client, arn string) map[string]string {
	t.Helper()
	out, err := c.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(arn)})
	if err != nil {
		t.Fatalf("ListTags %s: %v", arn, err)
	}
	return out.Tags
}

func TestTagLifecycleBelongsToTheFunction(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	arn := testARN + "fn"
	if got := listTags(t, c, arn); len(got) != 0 {
		t.Errorf("a new function has tags %v", got)
	}
	got, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Tags != nil {
		t.Errorf("GetFunction of an untagged function shows Tags %v; AWS leaves the member out", got.Tags)
	}

	if _, err := c.TagResource(ctx(t), &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"team": "perf", "tuned-by": "awspowertuning"}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	if _, err := c.TagResource(ctx(t), &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"team": "platform"}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"team": "platform", "tuned-by": "awspowertuning"}
	if got := listTags(t, c, arn); !maps.Equal(got, want) {
		t.Errorf("ListTags = %v, want %v", got, want)
	}

	// A version and an alias share the function's tags: GetFunction of
	// either shows them, and they cannot be tagged themselves.
	v := publish(t, c, "fn", "")
	if _, err := c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("live"), FunctionVersion: v.Version}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"1", "live"} {
		out, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn"), Qualifier: aws.String(q)})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(out.Tags, want) {
			t.Errorf("GetFunction %s: Tags = %v, want %v", q, out.Tags, want)
		}
		_, err = c.TagResource(ctx(t), &lambda.TagResourceInput{Resource: aws.String(arn + ":" + q), Tags: map[string]string{"k": "v"}})
		wantAPIError(t, err, 400, "InvalidParameterValueException", "Tags on function aliases and versions are not supported. Please specify a function ARN.")
	}

	if _, err := c.UntagResource(ctx(t), &lambda.UntagResourceInput{Resource: aws.String(arn), TagKeys: []string{"team", "never-set"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	if got := listTags(t, c, arn); !maps.Equal(got, map[string]string{"tuned-by": "awspowertuning"}) {
		t.Errorf("after UntagResource: %v", got)
	}

	// Deleting the function deletes its tags; a new one of that name has none.
	if _, err := c.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(arn)})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: "+arn)
	if _, err := c.CreateFunction(ctx(t), createInput("fn")); err != nil {
		t.Fatal(err)
	}
	if got := listTags(t, c, arn); len(got) != 0 {
		t.Errorf("a re-created function inherited tags %v", got)
	}
}

func TestTagsAtCreationAndInPreloads(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "preloaded", Tags: map[string]string{"env": "demo"}})
	if got := listTags(t, c, testARN+"preloaded"); !maps.Equal(got, map[string]string{"env": "demo"}) {
		t.Errorf("preloaded tags = %v", got)
	}
	in := createInput("created")
	in.Tags = map[string]string{"copy-of": "preloaded"}
	if _, err := c.CreateFunction(ctx(t), in); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("created")})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got.Tags, in.Tags) {
		t.Errorf("GetFunction Tags = %v, want %v", got.Tags, in.Tags)
	}

	in = createInput("too-many")
	in.Tags = numberedTags(51)
	_, err = c.CreateFunction(ctx(t), in)
	wantAPIError(t, err, 400, "InvalidParameterValueException", "Number of tags exceeds resource tag limit.")
	if _, err := s.AddFunction(FunctionSpec{Name: "bad", Tags: map[string]string{"": "v"}}); err == nil {
		t.Error("AddFunction accepted an empty tag key")
	}
}

func numberedTags(n int) map[string]string {
	tags := make(map[string]string, n)
	for i := range n {
		tags[fmt.Sprintf("k%02d", i)] = "v"
	}
	return tags
}

func TestTagLimits(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	arn := testARN + "fn"
	tag := func(tags map[string]string) error {
		_, err := c.TagResource(ctx(t), &lambda.TagResourceInput{Resource: aws.String(arn), Tags: tags})
		return err
	}
	const keyRule = "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, " +
		`Member must satisfy regular expression pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$]`
	const valueRule = "Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0, " +
		`Member must satisfy regular expression pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$]`

	// At the limits: accepted. Lengths are characters, not bytes.
	k128, v256 := strings.Repeat("k", 128), strings.Repeat("é", 256)
	if err := tag(map[string]string{k128: v256, "empty": ""}); err != nil {
		t.Fatalf("a 128-character key and a 256-character value: %v", err)
	}
	k129 := strings.Repeat("k", 129)
	wantAPIError(t, tag(map[string]string{k129: "v"}), 400, "ValidationException",
		"1 validation error detected: Value '{"+k129+"=v}' at 'tags' failed to satisfy constraint: "+keyRule)
	v257 := strings.Repeat("v", 257)
	wantAPIError(t, tag(map[string]string{"a": "ok", "b": v257}), 400, "ValidationException",
		"1 validation error detected: Value '{a=ok, b="+v257+"}' at 'tags' failed to satisfy constraint: "+valueRule)
	wantAPIError(t, tag(map[string]string{"bad*key": "bad,value"}), 400, "ValidationException",
		"2 validation errors detected: Value '{bad*key=bad,value}' at 'tags' failed to satisfy constraint: "+keyRule+
			"; Value '{bad*key=bad,value}' at 'tags' failed to satisfy constraint: "+valueRule)

	// Fifty in all: the two set above plus 48 fit, one more does not,
	// while replacing an existing key's value still does.
	if err := tag(numberedTags(48)); err != nil {
		t.Fatalf("50 tags in all: %v", err)
	}
	wantAPIError(t, tag(map[string]string{"one-more": "v"}), 400, "InvalidParameterValueException", "Number of tags exceeds resource tag limit.")
	if err := tag(map[string]string{"empty": "now set"}); err != nil {
		t.Errorf("replacing a value at the limit: %v", err)
	}
	if got := listTags(t, c, arn); len(got) != 50 || got["empty"] != "now set" {
		t.Errorf("after the limit checks: %d tags, empty=%q", len(got), got["empty"])
	}
}

func TestTagResourceNames(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	const pattern = `arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`
	for _, name := range []string{"fn", "123456789012:function:fn"} {
		_, err := c.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(name)})
		wantAPIError(t, err, 400, "ValidationException",
			"1 validation error detected: Value '"+name+"' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: "+pattern)
	}
	_, err := c.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(testARN + "missing")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: "+testARN+"missing")
	other := "arn:aws:lambda:us-east-1:210987654321:function:fn"
	_, err = c.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(other)})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: "+other)

	// A function in another region is tagged through its own ARN.
	westARN, err := s.AddFunction(FunctionSpec{Name: "fn", Region: "us-west-2"})
	if err != nil {
		t.Fatal(err)
	}
	west := lambdaClient(s, "us-west-2")
	if _, err := west.TagResource(ctx(t), &lambda.TagResourceInput{Resource: aws.String(westARN), Tags: map[string]string{"region": "west"}}); err != nil {
		t.Fatal(err)
	}
	if got := listTags(t, c, testARN+"fn"); len(got) != 0 {
		t.Errorf("tagging us-west-2's fn tagged us-east-1's: %v", got)
	}
	if got := listTags(t, west, westARN); got["region"] != "west" {
		t.Errorf("us-west-2 tags = %v", got)
	}
}

func TestVersionAndAliasDescriptions(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn", Description: "the function"})
	d256, d257 := strings.Repeat("d", 256), strings.Repeat("d", 257)
	tooLong := "1 validation error detected: Value '" + d257 + "' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256"

	_, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("fn"), Description: aws.String(d257)})
	wantAPIError(t, err, 400, "ValidationException", tooLong)
	v := publish(t, c, "fn", d256)
	if aws.ToString(v.Description) != d256 || aws.ToString(v.Version) != "1" {
		t.Errorf("version 1: %q, %s; want the 256-character description", aws.ToString(v.Description), aws.ToString(v.Version))
	}
	// The version's description is its own; $LATEST keeps the function's.
	latest, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(latest.Description) != "the function" {
		t.Errorf("$LATEST description = %q after publishing", aws.ToString(latest.Description))
	}

	_, err = c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("live"), FunctionVersion: aws.String("1"), Description: aws.String(d257)})
	wantAPIError(t, err, 400, "ValidationException", tooLong)
	// Both constraints fail in one answer, as AWS reports them.
	_, err = c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("9"), FunctionVersion: aws.String("1"), Description: aws.String(d257)})
	wantAPIError(t, err, 400, "ValidationException", "2 validation errors detected: Value '9' at 'name' failed to satisfy constraint: "+
		"Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+); Value '"+d257+"' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256")
	a, err := c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("live"), FunctionVersion: aws.String("1"), Description: aws.String(d256)})
	if err != nil || aws.ToString(a.Description) != d256 {
		t.Fatalf("CreateAlias with a 256-character description: %v", err)
	}
	_, err = c.UpdateAlias(ctx(t), &lambda.UpdateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("live"), Description: aws.String(d257)})
	wantAPIError(t, err, 400, "ValidationException", tooLong)
	up, err := c.UpdateAlias(ctx(t), &lambda.UpdateAliasInput{FunctionName: aws.String("fn"), Name: aws.String("live"), Description: aws.String("record: 1024 MB")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetAlias(ctx(t), &lambda.GetAliasInput{FunctionName: aws.String("fn"), Name: aws.String("live")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.Description) != "record: 1024 MB" || aws.ToString(got.FunctionVersion) != "1" || aws.ToString(got.RevisionId) != aws.ToString(up.RevisionId) {
		t.Errorf("GetAlias after UpdateAlias = %+v", got)
	}
}
