package copies

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// A copy is the function under another name: it keeps every setting
// CreateFunction takes, creation-only ones included (tenant isolation,
// durable execution), so that it runs as the function does. notCopied
// lists the members of lambda.CreateFunctionInput it does not take from
// the function, each with why; the package's tests fail on a member that
// is neither copied nor listed, so a setting the SDK adds is never dropped
// unnoticed.
var notCopied = map[string]string{
	"FunctionName": "the copy's own, which marks it as a copy of the function made by the run",
	"MemorySize":   "the memory size the copy measures",
	"Description":  "the copy's own, naming the function, the memory size and the run",
	"Publish": "not a setting of the function but whether CreateFunction also publishes a version: a durable function's copy " +
		"does (see publishes)",
	"PublishTo": "publishes to $LATEST.PUBLISHED, which only functions on a capacity provider have: a run on Lambda Managed " +
		"Instances publishes its copies' versions with PublishVersion once each copy is Active, when its load is due",
	"CodeSigningConfigArn": "GetFunction does not name it (GetFunctionCodeSigningConfig does), and a copy runs the very code " +
		"Lambda already accepted for the function",
}

// settings is the function's configuration c as CreateFunction takes it:
// everything a copy keeps but its code and tags.
func settings(c types.FunctionConfiguration) *lambda.CreateFunctionInput {
	in := &lambda.CreateFunctionInput{
		Role:                   c.Role,
		Timeout:                c.Timeout,
		Architectures:          c.Architectures,
		PackageType:            c.PackageType,
		KMSKeyArn:              c.KMSKeyArn,
		EphemeralStorage:       c.EphemeralStorage,
		FileSystemConfigs:      c.FileSystemConfigs,
		LoggingConfig:          c.LoggingConfig,
		DeadLetterConfig:       c.DeadLetterConfig,
		TenancyConfig:          c.TenancyConfig,
		DurableConfig:          c.DurableConfig,
		CapacityProviderConfig: c.CapacityProviderConfig,
	}
	if c.PackageType == types.PackageTypeImage {
		if ic := c.ImageConfigResponse; ic != nil {
			in.ImageConfig = ic.ImageConfig
		}
	} else {
		in.Runtime, in.Handler = c.Runtime, c.Handler
	}
	if c.Environment != nil {
		in.Environment = &types.Environment{Variables: c.Environment.Variables}
	}
	for _, l := range c.Layers {
		in.Layers = append(in.Layers, aws.ToString(l.Arn))
	}
	if v := c.VpcConfig; v != nil && len(v.SubnetIds) > 0 {
		in.VpcConfig = &types.VpcConfig{SubnetIds: v.SubnetIds, SecurityGroupIds: v.SecurityGroupIds, Ipv6AllowedForDualStack: v.Ipv6AllowedForDualStack}
	}
	if tc := c.TracingConfig; tc != nil {
		in.TracingConfig = &types.TracingConfig{Mode: tc.Mode}
	}
	if s := c.SnapStart; s != nil && s.ApplyOn != "" {
		in.SnapStart = &types.SnapStart{ApplyOn: s.ApplyOn}
	}
	return in
}

// maxTags is how many tags Lambda lets a function have.
const maxTags = 50

// ownTagPrefix starts the keys of the tags a copy is marked with.
const ownTagPrefix = "awspowertuning:"

// keptTags are the function's tags a copy takes, beside its marks (the
// run's lease and targetTag); a warning names those it has no room for.
func (t *Target) keptTags(tags map[string]string) map[string]string {
	marks := t.lease().Tags()
	kept, dropped := functionTags(tags, len(marks)+1)
	if len(dropped) > 0 {
		t.env.Warn(fmt.Sprintf("The copies of %s lack its tags %s: Lambda allows a function %d tags, and each copy carries %d marks "+
			"of its own.", t.fn.ARN(), strings.Join(dropped, ", "), maxTags, len(marks)+1))
	}
	return kept
}

// functionTags are the function's tags a copy takes, so that tag policies and
// cost reports see it as the function's: all but those in the aws:
// namespace, which only AWS may set, and marks like the copy's own. With
// room left for the copy's marks; dropped names those left out for want
// of room, alphabetically after the kept ones.
func functionTags(tags map[string]string, marks int) (kept map[string]string, dropped []string) {
	keys := slices.Sorted(maps.Keys(tags))
	keys = slices.DeleteFunc(keys, func(k string) bool {
		return strings.HasPrefix(k, "aws:") || strings.HasPrefix(k, ownTagPrefix)
	})
	if room := maxTags - marks; len(keys) > room {
		keys, dropped = keys[:room], keys[room:]
	}
	kept = make(map[string]string, len(keys))
	for _, k := range keys {
		kept[k] = tags[k]
	}
	return kept, dropped
}
