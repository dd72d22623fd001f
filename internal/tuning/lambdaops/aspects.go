package lambdaops

import (
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// configAspects are the parts of a configuration besides memory and
// description: what auto_optimize_alias must not release by publishing
// $LATEST, and what someone else may change during a run (a version's
// description is set when it is published; memory and description are what
// a run itself changes).
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

// ConfigDifferences names the aspects in which a differs from b, besides
// memory and description.
func ConfigDifferences(a, b *types.FunctionConfiguration) []string {
	var diffs []string
	for _, aspect := range configAspects {
		if !reflect.DeepEqual(aspect.of(a), aspect.of(b)) {
			diffs = append(diffs, aspect.name)
		}
	}
	return diffs
}
