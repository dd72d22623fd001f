package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// managedBlock is managed_instances of the schema's type, with values set.
func managedBlock(t *testing.T, schema *tfprotov6.Schema, values map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	objectType := schema.ValueType().(tftypes.Object).AttributeTypes["managed_instances"].(tftypes.Object)
	all := map[string]tftypes.Value{}
	for name, typ := range objectType.AttributeTypes {
		all[name] = tftypes.NewValue(typ, nil)
	}
	for name, v := range values {
		all[name] = v
	}
	return tftypes.NewValue(objectType, all)
}

func TestPlanNotesTheCopiesOfATuningOnManagedInstances(t *testing.T) {
	server := protocolServer(t, New("test")())
	schema := providerSchemas(t, server).ResourceSchemas["awspowertuning_run"]
	plan := func(values map[string]tftypes.Value) []*tfprotov6.Diagnostic {
		return planCreateDiagnostics(t, server, schema, values)
	}
	block := managedBlock(t, schema, map[string]tftypes.Value{
		"memory_per_vcpu": numList(2, 4), "max_concurrency_per_environment": numList(4, 16, 64), "power_values": numList(4096),
		"load_seconds": num(60),
	})
	diags := plan(validRun(map[string]tftypes.Value{"isolation": str("copies"), "managed_instances": block}))
	// 64 at once ramps 16, 32, 64: 30 s to start, 3 × 6 s, 60 s held.
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
		!strings.Contains(diags[0].Detail, "create 6 temporary copies") || !strings.Contains(diags[0].Detail, "up to about 1m48s") ||
		!strings.Contains(diags[0].Detail, "vCPU-hours") {
		t.Fatalf("want one warning counting 6 copies of up to 1m48s and their vCPU-hours, got:%s", describeDiagnostics(diags))
	}
	if diags := plan(validRun(map[string]tftypes.Value{"num": num(20)})); len(diags) != 0 {
		t.Errorf("a run without managed_instances got:%s", describeDiagnostics(diags))
	}
}
