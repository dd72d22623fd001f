package provider

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// limitProbe is one input's limits, written with the specification's
// constants: values the schema and the specification both accept (at the
// limit) and both refuse (just beyond it).
type limitProbe struct {
	accepted []tftypes.Value
	rejected []tftypes.Value
	// siblings are the other arguments the input needs to apply at all.
	siblings map[string]tftypes.Value
}

// specLimitProbes are the inputs whose schema validators encode a limit,
// a pattern or a set of values of the specification.
func specLimitProbes() map[string]limitProbe {
	balanced := map[string]tftypes.Value{spec.AttrStrategy: str(string(analysis.StrategyBalanced))}
	copies := map[string]tftypes.Value{spec.AttrIsolation: str(spec.IsolationCopies)}
	architectures := make([]tftypes.Value, 0, len(spec.Architectures()))
	for _, a := range spec.Architectures() {
		architectures = append(architectures, strList(a))
	}
	return map[string]limitProbe{
		spec.AttrLambdaARN: {
			accepted: []tftypes.Value{str("my-function"), str("123456789012:function:f"), str("arn:aws:lambda:eu-west-1:123456789012:function:f")},
			rejected: []tftypes.Value{str(""), str("arn:aws:lambda:us-east-1:function"), str("my function")},
		},
		spec.AttrNum: {
			accepted: []tftypes.Value{num(spec.MaxNum)},
			rejected: []tftypes.Value{num(spec.MaxNum + 1)},
		},
		spec.AttrPowerValues: {
			accepted: []tftypes.Value{numList(spec.MinPower), numList(spec.MaxPower)},
			rejected: []tftypes.Value{numList(spec.MinPower - 1), numList(spec.MaxPower + 1)},
		},
		spec.AttrPayloadS3: {
			accepted: []tftypes.Value{str("s3://bucket/key")},
			rejected: []tftypes.Value{str("s3://bucket"), str("s3://Bucket/key"), str("bucket/key")},
		},
		spec.AttrStrategy: {
			accepted: []tftypes.Value{str(string(analysis.StrategyCost)), str(string(analysis.StrategySpeed)), str(string(analysis.StrategyBalanced))},
			rejected: []tftypes.Value{str("fastest")},
		},
		// The specification writes 0 and 1 in Validate, with no constant.
		spec.AttrBalancedWeight: {
			accepted: []tftypes.Value{num(0), num(1)},
			rejected: []tftypes.Value{num(-0.01), num(1.01)},
			siblings: balanced,
		},
		spec.AttrAutoOptimizeAlias: {
			accepted: []tftypes.Value{str("live"), str(strings.Repeat("a", spec.MaxAliasNameLength)), str("RAM"), str("RAMP")},
			rejected: []tftypes.Value{
				str("awspowertuning-lock"), str("RAM512"), str("RAM512-3"), str("RAM5x"),
				str(runrecord.DescriptionAlias),
				str("42"), str("with space"), str(strings.Repeat("a", spec.MaxAliasNameLength+1)),
			},
			siblings: map[string]tftypes.Value{spec.AttrAutoOptimize: boolean(true)},
		},
		spec.AttrAliasRouting: {
			accepted: []tftypes.Value{str(spec.AliasRoutingKeep), str(spec.AliasRoutingClear)},
			rejected: []tftypes.Value{str("weighted"), str("Keep")},
			siblings: map[string]tftypes.Value{spec.AttrAutoOptimize: boolean(true), spec.AttrAutoOptimizeAlias: str("live")},
		},
		spec.AttrDiscardTopBottom: {
			accepted: []tftypes.Value{num(0), num(spec.MaxDiscardTopBottom)},
			rejected: []tftypes.Value{num(-0.01), num(spec.MaxDiscardTopBottom + 0.01)},
		},
		spec.AttrSleepBetweenRunsMs: {
			accepted: []tftypes.Value{num(0), num(spec.MaxSleepBetweenRunsMs)},
			rejected: []tftypes.Value{num(-1), num(spec.MaxSleepBetweenRunsMs + 1)},
		},
		spec.AttrSampling: {
			accepted: []tftypes.Value{str(spec.SamplingExhaustive), str(spec.SamplingAdaptive)},
			rejected: []tftypes.Value{str("random")},
		},
		spec.AttrTenantID: {
			accepted: []tftypes.Value{str("t"), str(strings.Repeat("t", spec.MaxTenantIDLength)), str("tenant-42/eu:blue"), str("tenant 42")},
			// "" is refused by the schema only: the specification reads it as unset.
			rejected: []tftypes.Value{str(strings.Repeat("t", spec.MaxTenantIDLength+1)), str("tenant\t42"), str("tenant\n42")},
		},
		spec.AttrInvokeMode: {
			accepted: values(spec.InvokeModes()),
			rejected: []tftypes.Value{str("streaming"), str("Stream")},
		},
		spec.AttrTieBreaker: {
			accepted: values(analysis.TieRules()),
			rejected: []tftypes.Value{str("smallest"), str("Cheapest")},
		},
		spec.AttrAdaptiveTolerance: {
			accepted: []tftypes.Value{num(0), num(spec.MaxAdaptiveTolerance)},
			rejected: []tftypes.Value{num(-0.01), num(spec.MaxAdaptiveTolerance + 0.01)},
			siblings: map[string]tftypes.Value{spec.AttrSampling: str(spec.SamplingAdaptive)},
		},
		spec.AttrIsolation: {
			accepted: []tftypes.Value{str(spec.IsolationNone), str(spec.IsolationCopies)},
			rejected: []tftypes.Value{str("container")},
		},
		spec.AttrArchitectures: {
			accepted: architectures,
			rejected: []tftypes.Value{strList("x86"), strList("aarch64")},
			siblings: copies,
		},
		spec.AttrCopiesCodeS3URI: {
			accepted: []tftypes.Value{str("s3://bucket"), str("s3://bucket/prefix")},
			// "" is refused by the schema only: the specification's Input
			// reads it as unset, as Terraform's null.
			rejected: []tftypes.Value{str("bucket/prefix"), str("s3://B")},
			siblings: copies,
		},
	}
}

// inputsWithoutSpecLimit are the inputs whose schema encodes no limit of
// the specification, and why.
var inputsWithoutSpecLimit = map[string]string{
	spec.AttrPowerValuesAll:      "a flag",
	spec.AttrPayload:             "any JSON text; its weighted layout against num is Validate's, run by ValidateConfig",
	spec.AttrParallelInvocation:  "a flag",
	spec.AttrMaxConcurrency:      "at least 1: the specification reads 0 as its default, DefaultMaxConcurrency, and has no maximum",
	spec.AttrAutoOptimize:        "a flag",
	spec.AttrAllowUnreleased:     "a flag",
	spec.AttrDryRun:              "a flag",
	spec.AttrPreProcessorARN:     "a function ARN: Validate's rule, run by ValidateConfig",
	spec.AttrPostProcessorARN:    "a function ARN: Validate's rule, run by ValidateConfig",
	"disable_payload_logs":       "a flag",
	"include_output_results":     "a flag",
	spec.AttrOnlyColdStarts:      "a flag",
	spec.AttrAllowedExceptions:   "non-empty error types, as Validate asks, with no limit",
	spec.AttrSkipFailed:          "a flag",
	spec.AttrPayloadPlaceholders: "a flag; without a payload it has no effect, Validate's rule, run by ValidateConfig",
	spec.AttrPayloadWOVersion:    "any number: only its changes matter; without payload_wo it is refused, a schema rule",
	spec.AttrManagedInstances:    "a block: its elements' limits are the specification's constants, in validators of their own; Validate checks the rest",
}

// TestRunSchemaLimitsAreTheSpecifications walks the specification's inputs
// and the run resource's schema: every input is in the schema, and where the
// schema encodes a limit, its own validators accept the specification's
// limit and refuse what lies just beyond it, as the specification does.
func TestRunSchemaLimitsAreTheSpecifications(t *testing.T) {
	ctx := context.Background()
	s := runSchema(t)
	probes := specLimitProbes()

	for _, name := range specInputAttributes() {
		if _, ok := s.Attributes[name]; !ok {
			t.Errorf("the specification's input %s is not in the run resource's schema", name)
		}
		_, probed := probes[name]
		_, exempt := inputsWithoutSpecLimit[name]
		if probed == exempt {
			t.Errorf("input %s must be either probed against the specification's limits or listed, with a reason, as having none", name)
		}
	}

	for name, probe := range probes {
		attribute, ok := s.Attributes[name]
		if !ok {
			t.Errorf("probed attribute %s is not in the schema", name)
			continue
		}
		check := func(t *testing.T, value tftypes.Value, wantAccepted bool) {
			t.Helper()
			config := configOf(t, s, withValue(probe.siblings, name, value))
			schemaErrs := schemaDiagnostics(ctx, attribute, config, path.Root(name)).Errors()
			specErrs := specErrorsOn(t, config, name)
			switch {
			case wantAccepted && len(schemaErrs) > 0:
				t.Errorf("%s = %s: the schema refuses what the specification accepts: %s", name, value, schemaErrs[0].Detail())
			case wantAccepted && len(specErrs) > 0:
				t.Errorf("%s = %s: the probe is wrong, the specification refuses it: %s", name, value, specErrs[0])
			case !wantAccepted && len(schemaErrs) == 0:
				t.Errorf("%s = %s: the schema accepts what the specification refuses (its limit differs from the specification's)", name, value)
			case !wantAccepted && len(specErrs) == 0:
				t.Errorf("%s = %s: the probe is wrong, the specification accepts it", name, value)
			}
		}
		t.Run(name, func(t *testing.T) {
			for _, v := range probe.accepted {
				check(t, v, true)
			}
			for _, v := range probe.rejected {
				check(t, v, false)
			}
		})
	}
}

// specInputAttributes are the attribute names of spec.Input (its JSON tags).
func specInputAttributes() []string {
	typ := reflect.TypeFor[spec.Input]()
	names := make([]string, 0, typ.NumField())
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name == "-" {
			continue // not an input of its own: PayloadWriteOnly says where Payload came from
		}
		names = append(names, name)
	}
	return names
}

// runSchema is the run resource's schema, as Terraform gets it.
func runSchema(t *testing.T) schema.Schema {
	t.Helper()
	var resp resource.SchemaResponse
	(&runResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return resp.Schema
}

// withValue is a minimal valid run with siblings and name = value.
func withValue(siblings map[string]tftypes.Value, name string, value tftypes.Value) map[string]tftypes.Value {
	values := validRun(siblings)
	values[name] = value
	return values
}

// configOf is the configuration of schema s with values; everything else
// is null, as when it is left out.
func configOf(t *testing.T, s schema.Schema, values map[string]tftypes.Value) tfsdk.Config {
	t.Helper()
	objectType, ok := s.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is not an object")
	}
	all := make(map[string]tftypes.Value, len(objectType.AttributeTypes))
	for name, typ := range objectType.AttributeTypes {
		all[name] = tftypes.NewValue(typ, nil)
	}
	for name, v := range values {
		all[name] = v
	}
	return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(objectType, all)}
}

// specErrorsOn is what the specification's Validate says about attribute
// in config, mapped to its Input as the resource maps it.
func specErrorsOn(t *testing.T, config tfsdk.Config, attribute string) []error {
	t.Helper()
	var m runResourceModel
	if diags := config.Get(context.Background(), &m); diags.HasError() {
		t.Fatalf("reading config: %v", diags)
	}
	in, diags := m.toInput(context.Background())
	if diags.HasError() {
		t.Fatalf("mapping config to the input: %v", diags)
	}
	var errs []error
	for _, err := range flattenErrors(in.Validate()) {
		if inputErr, ok := errors.AsType[*spec.InputError](err); ok && inputErr.Attribute == attribute {
			errs = append(errs, err)
		}
	}
	return errs
}

// values are strings as Terraform values.
func values(strings []string) []tftypes.Value {
	var out []tftypes.Value
	for _, s := range strings {
		out = append(out, tftypes.NewValue(tftypes.String, s))
	}
	return out
}
