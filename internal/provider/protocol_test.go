package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// These helpers talk to the provider in-process over the plugin protocol, the
// way Terraform does, so validation and configuration are tested without a
// Terraform CLI.

func protocolServer(t *testing.T, p provider.Provider) tfprotov6.ProviderServer {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(p)()
	if err != nil {
		t.Fatalf("starting provider server: %v", err)
	}
	return server
}

func providerSchemas(t *testing.T, server tfprotov6.ProviderServer) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatalf("GetProviderSchema: %v", err)
	}
	if len(resp.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema diagnostics: %s", describeDiagnostics(resp.Diagnostics))
	}
	return resp
}

// configValue builds an object of schema s from the given attributes; every
// other attribute and block is null, as when it is left out of the configuration.
func configValue(t *testing.T, s *tfprotov6.Schema, values map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	objectType, ok := s.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("schema value type is %T, want an object", s.ValueType())
	}
	all := make(map[string]tftypes.Value, len(objectType.AttributeTypes))
	for name, attrType := range objectType.AttributeTypes {
		all[name] = tftypes.NewValue(attrType, nil)
	}
	for name, v := range values {
		if _, ok := objectType.AttributeTypes[name]; !ok {
			t.Fatalf("test sets %q, which is not in the schema", name)
		}
		all[name] = v
	}
	dv, err := tfprotov6.NewDynamicValue(objectType, tftypes.NewValue(objectType, all))
	if err != nil {
		t.Fatalf("encoding config: %v", err)
	}
	return &dv
}

func str(s string) tftypes.Value   { return tftypes.NewValue(tftypes.String, s) }
func num(n float64) tftypes.Value  { return tftypes.NewValue(tftypes.Number, big.NewFloat(n)) }
func boolean(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }

func unknown(t tftypes.Type) tftypes.Value { return tftypes.NewValue(t, tftypes.UnknownValue) }

func numList(values ...float64) tftypes.Value {
	elems := make([]tftypes.Value, len(values))
	for i, v := range values {
		elems[i] = num(v)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.Number}, elems)
}

func strList(values ...string) tftypes.Value {
	elems := make([]tftypes.Value, len(values))
	for i, v := range values {
		elems[i] = str(v)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
}

func strMap(values map[string]string) tftypes.Value {
	elems := make(map[string]tftypes.Value, len(values))
	for k, v := range values {
		elems[k] = str(v)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, elems)
}

// object builds a nested block or object value of the given attribute types.
func object(types map[string]tftypes.Type, values map[string]tftypes.Value) tftypes.Value {
	all := make(map[string]tftypes.Value, len(types))
	for name, typ := range types {
		all[name] = tftypes.NewValue(typ, nil)
	}
	for name, v := range values {
		all[name] = v
	}
	return tftypes.NewValue(tftypes.Object{AttributeTypes: types}, all)
}

func errorDiagnostics(diags []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	var errs []*tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, d)
		}
	}
	return errs
}

func describeDiagnostics(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("\n  [" + d.Severity.String() + "] ")
		if d.Attribute != nil {
			b.WriteString(d.Attribute.String() + ": ")
		}
		b.WriteString(d.Summary + ": " + d.Detail)
	}
	return b.String()
}
