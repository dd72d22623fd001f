package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// Read keeps a recorded run, and warns (rather than silently dropping the
// resource) when the tuned function has been deleted since.
func TestRunRead_keepsStateAndWarnsWhenTheFunctionIsGone(t *testing.T) {
	sim, err := lambdasim.Start(lambdasim.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	present, err := sim.AddFunction(lambdasim.FunctionSpec{Name: "present"})
	if err != nil {
		t.Fatal(err)
	}

	server := protocolServer(t, New("test")())
	schemas := providerSchemas(t, server)
	endpointTypes := providerBlockType(t, "endpoints")
	configured, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		Config: configValue(t, schemas.Provider, map[string]tftypes.Value{
			"region": str("us-east-1"), "access_key": str("test"), "secret_key": str("test"),
			"endpoints": object(endpointTypes, map[string]tftypes.Value{"lambda": str(sim.URL()), "s3": str(sim.URL())}),
		}),
	})
	if err != nil || len(errorDiagnostics(configured.Diagnostics)) > 0 {
		t.Fatalf("ConfigureProvider: %v%s", err, describeDiagnostics(configured.Diagnostics))
	}

	read := func(t *testing.T, function string) *tfprotov6.ReadResourceResponse {
		t.Helper()
		state := configValue(t, schemas.ResourceSchemas["awspowertuning_run"], map[string]tftypes.Value{
			"id": str(function + "@2025-01-01T00:00:00Z"), "lambda_arn": str(function), "function_arn": str(function),
			"num": num(5), "optimal_power": num(512), "tuned_at": str("2025-01-01T00:00:00Z"),
		})
		resp, err := server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
			TypeName: "awspowertuning_run", CurrentState: state,
		})
		if err != nil {
			t.Fatal(err)
		}
		if resp.NewState == nil {
			t.Fatal("Read dropped the resource from state")
		}
		objectType := schemas.ResourceSchemas["awspowertuning_run"].ValueType()
		before, _ := state.Unmarshal(objectType)
		after, err := resp.NewState.Unmarshal(objectType)
		if err != nil {
			t.Fatal(err)
		}
		if !before.Equal(after) {
			t.Errorf("Read changed the recorded run:\nbefore %s\nafter  %s", before, after)
		}
		return resp
	}

	t.Run("function exists", func(t *testing.T) {
		if resp := read(t, present); len(resp.Diagnostics) != 0 {
			t.Errorf("want no diagnostics, got:%s", describeDiagnostics(resp.Diagnostics))
		}
	})
	t.Run("function deleted", func(t *testing.T) {
		resp := read(t, functionARN("deleted-since"))
		if len(resp.Diagnostics) != 1 ||
			resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
			resp.Diagnostics[0].Summary != "Tuned Function No Longer Exists" {
			t.Errorf("want one Tuned Function No Longer Exists warning, got:%s", describeDiagnostics(resp.Diagnostics))
		}
	})
}
