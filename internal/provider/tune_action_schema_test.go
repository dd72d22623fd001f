package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
)

func tuneActionSchema(t *testing.T) actionschema.Schema {
	t.Helper()
	var resp action.SchemaResponse
	newTuneAction().Schema(context.Background(), action.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("action schema: %v", resp.Diagnostics)
	}
	if diags := resp.Schema.ValidateImplementation(context.Background()); diags.HasError() {
		t.Fatalf("action schema is not valid: %v", diags)
	}
	return resp.Schema
}

// Every argument of awspowertuning_run but triggers and timeouts is an
// argument of awspowertuning_tune, described and checked alike; none of the
// run's results is.
func TestTuneActionTakesEveryArgumentOfTheRunResource(t *testing.T) {
	ctx := context.Background()
	got := tuneActionSchema(t).Attributes
	arguments := 0
	for name, a := range runResourceSchema(ctx).Attributes {
		b, ok := got[name]
		isArgument := a.IsRequired() || a.IsOptional()
		switch {
		case name == "triggers" || !isArgument:
			if ok {
				t.Errorf("%s is in the action, want it left out", name)
			}
			continue
		case !ok:
			t.Errorf("argument %s of the run resource is missing from the action", name)
			continue
		}
		arguments++
		if b.IsRequired() != a.IsRequired() || b.IsOptional() != a.IsOptional() {
			t.Errorf("%s: required %t optional %t, want %t %t", name, b.IsRequired(), b.IsOptional(), a.IsRequired(), a.IsOptional())
		}
		if b.GetMarkdownDescription() != a.GetMarkdownDescription() || b.GetMarkdownDescription() == "" {
			t.Errorf("%s: description %q, want the resource's %q", name, b.GetMarkdownDescription(), a.GetMarkdownDescription())
		}
		if got, want := validatorsOf(ctx, b), validatorsOf(ctx, a); !slices.Equal(got, want) {
			t.Errorf("%s: validators %q, want the resource's %q", name, got, want)
		}
		if !b.GetType().Equal(a.GetType()) {
			t.Errorf("%s: type %s, want %s", name, b.GetType(), a.GetType())
		}
	}
	if len(got) != arguments {
		t.Errorf("the action has %d attributes, want the resource's %d arguments", len(got), arguments)
	}
	if arguments < 30 {
		t.Errorf("only %d arguments compared: the resource's schema was not read", arguments)
	}
}

func TestTuneActionHasAnInvokeTimeout(t *testing.T) {
	block, ok := tuneActionSchema(t).Blocks["timeouts"].(actionschema.SingleNestedBlock)
	if !ok {
		t.Fatal("the action has no timeouts block")
	}
	if _, ok := block.Attributes["invoke"]; !ok || len(block.Attributes) != 1 {
		t.Errorf("timeouts attributes %v, want invoke alone", block.Attributes)
	}
}

// validatorsOf describes an attribute's validators, whatever their type
// (validators holding functions cannot be compared themselves).
func validatorsOf(ctx context.Context, a any) []string {
	v := reflect.ValueOf(a).FieldByName("Validators")
	var out []string
	for i := range v.Len() {
		d, ok := v.Index(i).Interface().(interface{ Description(context.Context) string })
		if !ok {
			out = append(out, "(undescribed)")
			continue
		}
		out = append(out, fmt.Sprintf("%T: %s", v.Index(i).Interface(), d.Description(ctx)))
	}
	return out
}
