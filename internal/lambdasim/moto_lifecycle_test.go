package lambdasim

import (
	"net/http"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// The cross-checks against moto for tags, image functions, whole-function
// lifecycle and ListFunctions; TestMotoConformance runs them.

func testMotoTags(t *testing.T, p conformancePair, role string, code []byte) {
	const name = "tagged"
	arn := "arn:aws:lambda:us-east-1:123456789012:function:" + name
	p.createFunction(t, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Role: aws.String(role),
		Runtime: types.RuntimePython312, Handler: aws.String("index.handler"), Code: &types.FunctionCode{ZipFile: code},
		Tags: map[string]string{"team": "perf"}})
	tags := func(what string) pairOf[tagShape] {
		t.Helper()
		got := projectPair[tagShape](t, onBoth(t, p, what, func(c *lambda.Client) (any, error) {
			return c.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(arn)})
		}))
		got.same(t, what)
		return got
	}
	if got := tags("ListTags after CreateFunction with Tags"); !reflect.DeepEqual(got.moto.Tags, map[string]string{"team": "perf"}) {
		t.Errorf("ListTags = %v, want the creation's tags", got.moto.Tags)
	}
	onBoth(t, p, "TagResource", func(c *lambda.Client) (any, error) {
		return c.TagResource(ctx(t), &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"team": "platform", "tuned": "yes"}})
	})
	onBoth(t, p, "UntagResource", func(c *lambda.Client) (any, error) {
		return c.UntagResource(ctx(t), &lambda.UntagResourceInput{Resource: aws.String(arn), TagKeys: []string{"tuned", "never-set"}})
	})
	if got := tags("ListTags after TagResource and UntagResource"); !reflect.DeepEqual(got.moto.Tags, map[string]string{"team": "platform"}) {
		t.Errorf("ListTags = %v, want team=platform", got.moto.Tags)
	}
	viaGetFunction := projectPair[tagShape](t, onBoth(t, p, "GetFunction", func(c *lambda.Client) (any, error) {
		return c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	}))
	viaGetFunction.want(t, "GetFunction Tags", tagShape{Tags: map[string]string{"team": "platform"}})
	sameError(t, p, errorCase{what: "ListTags of a missing function", status: http.StatusNotFound, code: "ResourceNotFoundException",
		call: func(c *lambda.Client) error {
			_, err := c.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(arn + "-missing")})
			return err
		}})
}

type tagShape struct{ Tags map[string]string }

func testMotoImages(t *testing.T, p conformancePair, role string) {
	const uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest"
	created := p.createFunction(t, &lambda.CreateFunctionInput{FunctionName: aws.String("image"), Role: aws.String(role),
		PackageType: types.PackageTypeImage, Code: &types.FunctionCode{ImageUri: aws.String(uri)}})
	// Both derive a tag's digest from the URI alike, so even CodeSha256 agrees.
	created.same(t, "CreateFunction of an image")
	if c := created.moto; c.PackageType != "Image" || c.CodeSize != 0 || len(c.CodeSha256) != 64 {
		t.Errorf("image function = %+v, want PackageType Image, CodeSize 0, a hex digest", c)
	}
	got := projectPair[codeShape](t, onBoth(t, p, "GetFunction of an image", func(c *lambda.Client) (any, error) {
		out, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("image")})
		if err != nil {
			return nil, err
		}
		return out.Code, nil
	}))
	got.same(t, "GetFunction Code of an image")
	if c := got.moto; c.RepositoryType != "ECR" || c.ImageUri != uri || c.ResolvedImageUri != "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:"+created.moto.CodeSha256 {
		t.Errorf("image Code = %+v", c)
	}
}

// codeShape is GetFunction's Code less the Location, which only the
// emulator serves.
type codeShape struct{ RepositoryType, ImageUri, ResolvedImageUri string }

func testMotoLifecycle(t *testing.T, p conformancePair, role string, code []byte) {
	const name = "lifecycle"
	in := &lambda.CreateFunctionInput{FunctionName: aws.String(name), Role: aws.String(role),
		Runtime: types.RuntimePython312, Handler: aws.String("index.handler"), Code: &types.FunctionCode{ZipFile: code}, Publish: true}
	p.createFunction(t, in)
	sameError(t, p, errorCase{what: "CreateFunction of a taken name", status: http.StatusConflict, code: "ResourceConflictException",
		call: func(c *lambda.Client) error {
			_, err := c.CreateFunction(ctx(t), in)
			return err
		}})
	zipCode := projectPair[codeShape](t, onBoth(t, p, "GetFunction", func(c *lambda.Client) (any, error) {
		out, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String(name)})
		if err != nil {
			return nil, err
		}
		return out.Code, nil
	}))
	zipCode.want(t, "GetFunction Code of a zip", codeShape{RepositoryType: "S3"})
	onBoth(t, p, "CreateAlias", func(c *lambda.Client) (any, error) {
		return c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	})
	onBoth(t, p, "DeleteFunction", func(c *lambda.Client) (any, error) {
		return c.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String(name)})
	})
	// Its versions and aliases went with it.
	for what, call := range map[string]func(c *lambda.Client) error{
		"GetFunction of a deleted function's version": func(c *lambda.Client) error {
			_, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String(name + ":1")})
			return err
		},
		"GetAlias of a deleted function's alias": func(c *lambda.Client) error {
			_, err := c.GetAlias(ctx(t), &lambda.GetAliasInput{FunctionName: aws.String(name), Name: aws.String("live")})
			return err
		},
	} {
		sameError(t, p, errorCase{what: what, status: http.StatusNotFound, code: "ResourceNotFoundException", call: call})
	}
	// Made again, the function numbers its versions from 1.
	in.Publish = false
	p.createFunction(t, in)
	again := projectPair[configShape](t, onBoth(t, p, "PublishVersion of the re-created function", func(c *lambda.Client) (any, error) {
		return c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String(name)})
	}))
	if again.moto.Version != "1" || again.sim.Version != "1" {
		t.Errorf("re-created function's first version: moto %s, emulator %s; want 1", again.moto.Version, again.sim.Version)
	}
}

// testMotoListFunctions runs last: every earlier subtest made the same
// functions on both, so both must list the same ones.
func testMotoListFunctions(t *testing.T, p conformancePair) {
	listed := projectPair[functionList](t, onBoth(t, p, "ListFunctions", func(c *lambda.Client) (any, error) {
		var all functionList
		pages := lambda.NewListFunctionsPaginator(c, &lambda.ListFunctionsInput{})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx(t))
			if err != nil {
				return nil, err
			}
			all.Functions = append(all.Functions, project[functionList](t, page).Functions...)
		}
		return all, nil
	}))
	for _, l := range []*functionList{&listed.moto, &listed.sim} {
		// AWS leaves State and LastUpdateStatus out of ListFunctions, moto
		// does not; AWS documents no order.
		for i := range l.Functions {
			l.Functions[i].State, l.Functions[i].LastUpdateStatus = "", ""
		}
		sort.Slice(l.Functions, func(i, j int) bool { return l.Functions[i].FunctionName < l.Functions[j].FunctionName })
	}
	listed.same(t, "ListFunctions")
	if len(listed.moto.Functions) < 8 {
		t.Errorf("ListFunctions found %d functions; the earlier subtests made more", len(listed.moto.Functions))
	}
	for _, f := range listed.sim.Functions {
		if f.Version != "$LATEST" {
			t.Errorf("ListFunctions shows %s version %s, want $LATEST only", f.FunctionName, f.Version)
		}
	}
}

type functionList struct{ Functions []configShape }
