package tuning

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
)

// applyToAlias applies the optimum to auto_optimize_alias after clean-up:
// set $LATEST memory to it, publish, point the alias at that version. The
// version is the user's from then on. The clean-up that follows restores
// $LATEST, and deletes the version if the alias could not be pointed at it.
func (r *run) applyToAlias(ctx context.Context) error {
	alias := r.in.AutoOptimizeAlias
	r.events.Note(r.optimum, "pointing alias %s at a version with %d MB", alias, r.optimum)
	if err := r.fn.KnowVersions(ctx); err != nil {
		return err
	}
	if err := r.fn.SetLatest(ctx, r.optimum, nil, false); err != nil {
		return err
	}
	version, err := r.fn.Publish(ctx, r.optimum, r.fn.Original().Description)
	if err != nil {
		return err
	}
	if op, err := r.fn.CreateOrUpdateAlias(ctx, alias, version, "", false); err != nil {
		return &faults.StepError{Operation: op, Function: r.fn.ARN(), Power: r.optimum, Err: fmt.Errorf("alias %s: %w", alias, err)}
	}
	r.ledger.ForgetVersion(version) // the user's alias uses it now
	return nil
}

// configAspects are the parts of a version, besides memory, that
// auto_optimize_alias must not change by publishing $LATEST. Description is
// not one: a version's description is set when it is published.
var configAspects = []struct {
	name string
	of   func(*types.FunctionConfiguration) any
}{
	{"CodeSha256", func(c *types.FunctionConfiguration) any { return aws.ToString(c.CodeSha256) }},
	{"Runtime", func(c *types.FunctionConfiguration) any { return c.Runtime }},
	{"Handler", func(c *types.FunctionConfiguration) any { return aws.ToString(c.Handler) }},
	{"Timeout", func(c *types.FunctionConfiguration) any { return aws.ToInt32(c.Timeout) }},
	{"Role", func(c *types.FunctionConfiguration) any { return aws.ToString(c.Role) }},
	{"Environment", func(c *types.FunctionConfiguration) any {
		if c.Environment == nil || len(c.Environment.Variables) == 0 {
			return map[string]string(nil)
		}
		return c.Environment.Variables
	}},
	{"Layers", func(c *types.FunctionConfiguration) any {
		var arns []string
		for _, l := range c.Layers {
			arns = append(arns, aws.ToString(l.Arn))
		}
		return arns
	}},
	{"ImageConfig", func(c *types.FunctionConfiguration) any {
		if c.ImageConfigResponse == nil || c.ImageConfigResponse.ImageConfig == nil {
			return types.ImageConfig{}
		}
		return *c.ImageConfigResponse.ImageConfig
	}},
	{"Architectures", func(c *types.FunctionConfiguration) any { return c.Architectures }},
	{"EphemeralStorage", func(c *types.FunctionConfiguration) any {
		if c.EphemeralStorage == nil {
			return int32(0)
		}
		return aws.ToInt32(c.EphemeralStorage.Size)
	}},
	{"TracingConfig", func(c *types.FunctionConfiguration) any {
		if c.TracingConfig == nil {
			return types.TracingMode("")
		}
		return c.TracingConfig.Mode
	}},
	{"VpcConfig", func(c *types.FunctionConfiguration) any {
		if c.VpcConfig == nil {
			return [2][]string{}
		}
		return [2][]string{c.VpcConfig.SubnetIds, c.VpcConfig.SecurityGroupIds}
	}},
	{"DeadLetterConfig", func(c *types.FunctionConfiguration) any {
		if c.DeadLetterConfig == nil {
			return ""
		}
		return aws.ToString(c.DeadLetterConfig.TargetArn)
	}},
	{"KMSKeyArn", func(c *types.FunctionConfiguration) any { return aws.ToString(c.KMSKeyArn) }},
	{"FileSystemConfigs", func(c *types.FunctionConfiguration) any {
		var fs []string
		for _, f := range c.FileSystemConfigs {
			fs = append(fs, aws.ToString(f.Arn)+"@"+aws.ToString(f.LocalMountPath))
		}
		return fs
	}},
	{"LoggingConfig", func(c *types.FunctionConfiguration) any {
		if c.LoggingConfig == nil {
			return [4]string{}
		}
		l := c.LoggingConfig
		return [4]string{string(l.LogFormat), string(l.ApplicationLogLevel), string(l.SystemLogLevel), aws.ToString(l.LogGroup)}
	}},
	{"SnapStart", func(c *types.FunctionConfiguration) any {
		if c.SnapStart == nil {
			return types.SnapStartApplyOn("")
		}
		return c.SnapStart.ApplyOn
	}},
}

// configDifferences names the aspects in which a differs from b.
func configDifferences(a, b *types.FunctionConfiguration) []string {
	var diffs []string
	for _, aspect := range configAspects {
		if !reflect.DeepEqual(aspect.of(a), aspect.of(b)) {
			diffs = append(diffs, aspect.name)
		}
	}
	return diffs
}

// checkReleased refuses, before any change, an auto_optimize_alias whose
// version differs from $LATEST in anything but memory: publishing $LATEST
// would release code or configuration the alias does not serve yet. An
// alias that does not exist yet, or serves $LATEST, is fine.
func (r *run) checkReleased(ctx context.Context) error {
	if !r.in.AppliesToAlias() || r.in.AutoOptimizeAllowUnreleased {
		return nil
	}
	alias := r.in.AutoOptimizeAlias
	got, err := r.fn.GetAlias(ctx, alias)
	if faults.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return &faults.StepError{Operation: "GetAlias", Function: r.fn.ARN(), Err: fmt.Errorf("alias %s: %w", alias, err)}
	}
	version := aws.ToString(got.FunctionVersion)
	if version == lambdaops.Latest {
		return nil
	}
	served, err := r.fn.Lambda().GetFunction(ctx, &lambda.GetFunctionInput{
		FunctionName: aws.String(r.fn.ARN()), Qualifier: aws.String(version),
	})
	if err == nil && served.Configuration == nil {
		err = errors.New("the answer has no configuration")
	}
	if err != nil {
		return &faults.StepError{Operation: "GetFunction", Function: r.fn.ARN(), Err: fmt.Errorf("version %s of alias %s: %w", version, alias, err)}
	}
	latest, err := r.fn.Await(ctx)
	if err != nil {
		return err
	}
	if diffs := configDifferences(served.Configuration, latest.Configuration); len(diffs) > 0 {
		return &faults.UnreleasedCodeError{Alias: alias, Version: version, Differences: diffs}
	}
	return nil
}
