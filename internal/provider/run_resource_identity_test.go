package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestRunIdentity_schema(t *testing.T) {
	server := protocolServer(t, New("test")())
	resp, err := server.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("GetResourceIdentitySchemas: %v%s", err, describeDiagnostics(resp.Diagnostics))
	}
	schema := resp.IdentitySchemas["awspowertuning_run"]
	if schema == nil {
		t.Fatal("awspowertuning_run has no identity schema")
	}
	got := map[string]bool{}
	for _, a := range schema.IdentityAttributes {
		if !a.Type.Is(tftypes.String) || a.RequiredForImport || !a.OptionalForImport {
			t.Errorf("%s: type %s, required %t, optional %t; want an optional string", a.Name, a.Type, a.RequiredForImport, a.OptionalForImport)
		}
		got[a.Name] = true
	}
	if len(got) != 3 || !got["report_s3_uri"] || !got["function_arn"] || !got["tuned_at"] {
		t.Errorf("identity attributes %v, want report_s3_uri, function_arn and tuned_at", got)
	}
}

func TestIdentityOf(t *testing.T) {
	run := func(uri types.String, dryRun bool) runResourceModel {
		var m runResourceModel
		m.ReportS3URI, m.DryRun = uri, types.BoolValue(dryRun)
		m.FunctionARN, m.TunedAt = types.StringValue(functionARN("orders")), types.StringValue("2026-12-07T10:00:00Z")
		return m
	}
	tests := []struct {
		name  string
		state runResourceModel
		uri   types.String
	}{
		{"stored a report", run(types.StringValue("s3://reports/orders.json"), false), types.StringValue("s3://reports/orders.json")},
		{"no report", run(types.StringNull(), false), types.StringNull()},
		{"dry run stores none", run(types.StringValue("s3://reports/orders.json"), true), types.StringNull()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := identityOf(tt.state)
			if !got.ReportS3URI.Equal(tt.uri) || got.FunctionARN.ValueString() != functionARN("orders") ||
				got.TunedAt.ValueString() != "2026-12-07T10:00:00Z" {
				t.Errorf("identityOf = %+v, want report_s3_uri %s and the function and time", got, tt.uri)
			}
		})
	}
}

// importByIdentity imports a run through the protocol with an identity of
// the given attributes (the others null).
func (p reportsProvider) importByIdentity(t *testing.T, attrs map[string]string) *tfprotov6.ImportResourceStateResponse {
	t.Helper()
	typ := p.identityType().(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range attrs {
		values[name] = str(v)
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, values))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.server.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{
		TypeName: "awspowertuning_run", Identity: &tfprotov6.ResourceIdentityData{IdentityData: &dv},
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestImportByIdentity(t *testing.T) {
	p := newReportsProvider(t)
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	uri := p.store(t, "runs/orders.json", listedRun("orders", at, 1024))
	byID, err := p.server.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: "awspowertuning_run", ID: uri})
	if err != nil || len(byID.Diagnostics) > 0 {
		t.Fatalf("import by ID: %v%s", err, describeDiagnostics(byID.Diagnostics))
	}
	wantIdentity := map[string]string{"report_s3_uri": uri, "function_arn": functionARN("orders"), "tuned_at": "2026-12-07T10:00:00Z"}

	for name, identity := range map[string]map[string]string{
		"by report alone":              {"report_s3_uri": uri},
		"by the whole identity":        wantIdentity,
		"tuned_at in another offset":   {"report_s3_uri": uri, "tuned_at": "2026-12-07T11:00:00+01:00"},
		"function and report, no time": {"report_s3_uri": uri, "function_arn": functionARN("orders")},
	} {
		t.Run(name, func(t *testing.T) {
			resp := p.importByIdentity(t, identity)
			if len(resp.Diagnostics) > 0 {
				t.Fatalf("import failed:%s", describeDiagnostics(resp.Diagnostics))
			}
			got := resp.ImportedResources[0]
			state, err := got.State.Unmarshal(p.runType())
			if err != nil {
				t.Fatal(err)
			}
			want, _ := byID.ImportedResources[0].State.Unmarshal(p.runType())
			if !state.Equal(want) {
				t.Errorf("state differs from the import by ID:\n got %s\nwant %s", state, want)
			}
			if gotIdentity := p.identity(t, got.Identity); len(gotIdentity) != 3 || gotIdentity["report_s3_uri"] != uri ||
				gotIdentity["function_arn"] != wantIdentity["function_arn"] || gotIdentity["tuned_at"] != wantIdentity["tuned_at"] {
				t.Errorf("identity after import = %v, want %v", gotIdentity, wantIdentity)
			}
		})
	}
	if got := p.identity(t, byID.ImportedResources[0].Identity); got["report_s3_uri"] != uri || got["tuned_at"] != wantIdentity["tuned_at"] {
		t.Errorf("identity after import by ID = %v, want %v", got, wantIdentity)
	}
}

func TestImportByIdentity_refusals(t *testing.T) {
	p := newReportsProvider(t)
	uri := p.store(t, "runs/orders.json", listedRun("orders", time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC), 1024))
	tests := []struct {
		name      string
		identity  map[string]string
		attribute string
		summary   string
		detail    string
	}{
		{
			name:      "function and time alone",
			identity:  map[string]string{"function_arn": functionARN("orders"), "tuned_at": "2026-12-07T10:00:00Z"},
			attribute: "report_s3_uri", summary: "Report Location Needed To Import",
			detail: "Function: " + functionARN("orders") + "\nTuned at: 2026-12-07T10:00:00Z",
		},
		{
			name: "not an S3 URI", identity: map[string]string{"report_s3_uri": "reports/runs/orders.json"},
			attribute: "report_s3_uri", summary: "Invalid Import Identity", detail: `Got: "reports/runs/orders.json"`,
		},
		{
			name:      "another function",
			identity:  map[string]string{"report_s3_uri": uri, "function_arn": functionARN("payments")},
			attribute: "function_arn", summary: "Import Identity Does Not Match Report", detail: "Report function_arn: " + functionARN("orders"),
		},
		{
			name:      "another time",
			identity:  map[string]string{"report_s3_uri": uri, "tuned_at": "2026-12-07T10:00:01Z"},
			attribute: "tuned_at", summary: "Import Identity Does Not Match Report", detail: "Report tuned_at: 2026-12-07T10:00:00Z",
		},
		{
			name:     "no such report",
			identity: map[string]string{"report_s3_uri": "s3://reports/runs/gone.json"},
			summary:  "Report Not Found", detail: "S3 URI: s3://reports/runs/gone.json",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := p.importByIdentity(t, tt.identity)
			errs := errorDiagnostics(resp.Diagnostics)
			if len(errs) != 1 || errs[0].Summary != tt.summary || !strings.Contains(errs[0].Detail, tt.detail) {
				t.Fatalf("diagnostics:%s\nwant one %q saying %q", describeDiagnostics(resp.Diagnostics), tt.summary, tt.detail)
			}
			if tt.attribute != "" && (errs[0].Attribute == nil || !strings.Contains(errs[0].Attribute.String(), `"`+tt.attribute+`"`)) {
				t.Errorf("the error is on %v, want %s", errs[0].Attribute, tt.attribute)
			}
		})
	}
}
