package copies

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

const sourceARN = "arn:aws:lambda:eu-west-1:123456789012:function:source"

// fill sets every exported field under v to a value of its own, named
// after the field: a member a copy does not carry then shows.
func fill(v reflect.Value, name string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x-" + name)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(2.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), name)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), name)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		key, val := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(key, name+"Key")
		fill(val, name)
		m.SetMapIndex(key, val)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				fill(v.Field(i), f.Name)
			}
		}
	}
}

// filledFunction is GetFunction's answer with every field set.
func filledFunction(pt types.PackageType) *lambda.GetFunctionOutput {
	var out lambda.GetFunctionOutput
	fill(reflect.ValueOf(&out).Elem(), "")
	c := out.Configuration
	c.FunctionArn, c.PackageType = aws.String(sourceARN), pt
	c.State, c.LastUpdateStatus = types.StateActive, types.LastUpdateStatusSuccessful
	out.Tags = map[string]string{"team": "payments", "aws:cloudformation:stack-name": "app", "awspowertuning:run": "someone else's"}
	return &out
}

// answering is a Lambda client that answers GetFunction with out.
type answering struct {
	awsapi.LambdaAPI
	out *lambda.GetFunctionOutput
}

func (a answering) GetFunction(context.Context, *lambda.GetFunctionInput, ...func(*lambda.Options)) (*lambda.GetFunctionOutput, error) {
	return a.out, nil
}

// targetOf is the copies of the function out describes, its source read
// as Resolve reads it (the package given rather than downloaded).
func targetOf(t *testing.T, out *lambda.GetFunctionOutput, warn func(string)) *Target {
	t.Helper()
	clk := tuningtest.NewClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	w := &waiter.Waiter{Settings: waiter.Settings{}.WithDefaults(), Clock: clk}
	fn := lambdaops.New(answering{out: out}, "eu-west-1", sourceARN, w, &ledger.Ledger{}, progress.NewStream(nil, clk), time.Minute)
	if err := fn.Resolve(context.Background()); err != nil {
		t.Fatal(err)
	}
	tg := New(target.Env{Input: spec.Input{LambdaARN: sourceARN, Isolation: spec.IsolationCopies}, RunID: "run1", Fn: fn,
		Lease: time.Minute, Warn: warn})
	tg.src = &source{config: *out.Configuration, tags: tg.keptTags(out.Tags)}
	if out.Configuration.PackageType == types.PackageTypeImage {
		tg.src.image = aws.ToString(out.Code.ResolvedImageUri)
	} else {
		tg.src.zip = []byte("the function's package")
	}
	return tg
}

// convertedFrom are the members CreateFunction takes in another shape than
// GetFunction answers them, each as the copy must carry it.
var convertedFrom = map[string]func(tg *Target, out *lambda.GetFunctionOutput) any{
	"Code": func(tg *Target, _ *lambda.GetFunctionOutput) any {
		if tg.src.image != "" {
			return &types.FunctionCode{ImageUri: aws.String(tg.src.image)}
		}
		return &types.FunctionCode{ZipFile: tg.src.zip}
	},
	"Environment": func(_ *Target, out *lambda.GetFunctionOutput) any {
		return &types.Environment{Variables: out.Configuration.Environment.Variables}
	},
	"ImageConfig": func(_ *Target, out *lambda.GetFunctionOutput) any {
		return out.Configuration.ImageConfigResponse.ImageConfig
	},
	"Layers": func(_ *Target, out *lambda.GetFunctionOutput) any {
		return []string{aws.ToString(out.Configuration.Layers[0].Arn)}
	},
	"VpcConfig": func(_ *Target, out *lambda.GetFunctionOutput) any {
		v := out.Configuration.VpcConfig
		return &types.VpcConfig{SubnetIds: v.SubnetIds, SecurityGroupIds: v.SecurityGroupIds, Ipv6AllowedForDualStack: v.Ipv6AllowedForDualStack}
	},
	"TracingConfig": func(_ *Target, out *lambda.GetFunctionOutput) any {
		return &types.TracingConfig{Mode: out.Configuration.TracingConfig.Mode}
	},
	"SnapStart": func(_ *Target, out *lambda.GetFunctionOutput) any {
		return &types.SnapStart{ApplyOn: out.Configuration.SnapStart.ApplyOn}
	},
}

// packageOnly are members that exist for one package type only: Lambda
// refuses a runtime or handler for an image, an image configuration for a zip.
var packageOnly = map[string]types.PackageType{
	"Runtime": types.PackageTypeZip, "Handler": types.PackageTypeZip, "ImageConfig": types.PackageTypeImage,
}

func TestCopiesKeepEverySettingOfTheFunction(t *testing.T) {
	in := reflect.TypeFor[lambda.CreateFunctionInput]()
	for name := range notCopied {
		if _, ok := in.FieldByName(name); !ok {
			t.Errorf("notCopied lists %s, which lambda.CreateFunctionInput does not have", name)
		}
	}
	for _, pt := range []types.PackageType{types.PackageTypeZip, types.PackageTypeImage} {
		out := filledFunction(pt)
		tg := targetOf(t, out, func(string) {})
		got := reflect.ValueOf(tg.input("awspt-copy", 512)).Elem()
		source := reflect.ValueOf(out.Configuration).Elem()
		for i := range in.NumField() {
			member := in.Field(i)
			if !member.IsExported() || notCopied[member.Name] != "" || member.Name == "Tags" {
				continue
			}
			value := got.Field(i)
			if only, ok := packageOnly[member.Name]; ok && only != pt {
				if !value.IsZero() {
					t.Errorf("%s copy: %s = %v, want none for this package type", pt, member.Name, value.Interface())
				}
				continue
			}
			var want reflect.Value
			if convert, ok := convertedFrom[member.Name]; ok {
				want = reflect.ValueOf(convert(tg, out))
			} else if f := source.FieldByName(member.Name); f.IsValid() && f.Type() == member.Type {
				want = f
			} else {
				t.Errorf("CreateFunctionInput.%s is neither copied from the function nor listed in notCopied with a reason", member.Name)
				continue
			}
			if want.IsZero() {
				t.Fatalf("the test's source has no %s to copy", member.Name)
			}
			if !reflect.DeepEqual(value.Interface(), want.Interface()) {
				t.Errorf("%s copy: %s = %s, want the function's %s", pt, member.Name, shown(value), shown(want))
			}
		}
	}
}

// shown is v as JSON, pointers followed.
func shown(v reflect.Value) string {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return fmt.Sprintf("%#v", v.Interface())
	}
	return string(b)
}

func TestCopiesKeepTheFunctionsTagsBesideTheirMarks(t *testing.T) {
	tg := targetOf(t, filledFunction(types.PackageTypeZip), func(string) {})
	tags := tg.input("awspt-copy", 512).Tags
	if tags["team"] != "payments" {
		t.Errorf("tags %v, want the function's team=payments", tags)
	}
	if _, ok := tags["aws:cloudformation:stack-name"]; ok {
		t.Errorf("tags %v carry a key in the aws: namespace, which CreateFunction refuses", tags)
	}
	if tags[targetTag] != sourceARN || tags["awspowertuning:run"] != "run1" {
		t.Errorf("tags %v, want the copy's own marks to win over the function's", tags)
	}
}

func TestCopiesWithoutRoomForEveryTagSayWhichTheyLack(t *testing.T) {
	out := filledFunction(types.PackageTypeZip)
	out.Tags = map[string]string{}
	for i := range maxTags {
		out.Tags[fmt.Sprintf("k%02d", i)] = "v"
	}
	var warnings []string
	tg := targetOf(t, out, func(w string) { warnings = append(warnings, w) })
	tags := tg.input("awspt-copy", 512).Tags
	if len(tags) != maxTags {
		t.Errorf("%d tags, want Lambda's limit %d", len(tags), maxTags)
	}
	lacking := []string{"k46", "k47", "k48", "k49"}
	if len(warnings) != 1 || !strings.Contains(warnings[0], strings.Join(lacking, ", ")) {
		t.Errorf("warnings %q, want one naming %v", warnings, lacking)
	}
	if tags["k45"] != "v" || tags["k46"] != "" {
		t.Errorf("tags %v, want k00 to k45 kept", tags)
	}
}
