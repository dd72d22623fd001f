package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The plan says how many versions and aliases only_cold_starts creates.
func TestPlanNotesColdStartVersions(t *testing.T) {
	server := protocolServer(t, New("test")())
	schema := providerSchemas(t, server).ResourceSchemas["awspowertuning_run"]
	plan := func(values map[string]tftypes.Value) []*tfprotov6.Diagnostic {
		return planCreateDiagnostics(t, server, schema, values)
	}
	diags := plan(validRun(map[string]tftypes.Value{"only_cold_starts": boolean(true), "num": num(20), "power_values": numList(128, 512, 1024)}))
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
		!strings.Contains(diags[0].Detail, "60 versions and 60 aliases (num = 20 × 3 memory sizes") {
		t.Fatalf("want one warning counting 60 versions and aliases, got:%s", describeDiagnostics(diags))
	}
	if diags := plan(validRun(map[string]tftypes.Value{"num": num(20)})); len(diags) != 0 {
		t.Errorf("a run without only_cold_starts got:%s", describeDiagnostics(diags))
	}
}

// planCreateDiagnostics plans the creation of a run with values and returns
// what the provider says.
func planCreateDiagnostics(t *testing.T, server tfprotov6.ProviderServer, schema *tfprotov6.Schema, values map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	config := configValue(t, schema, values)
	prior, err := tfprotov6.NewDynamicValue(schema.ValueType(), tftypes.NewValue(schema.ValueType(), nil))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: "awspowertuning_run", PriorState: &prior, ProposedNewState: config, Config: config,
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}
