package provider

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// reportsProvider is the provider served over the plugin protocol and
// configured against an emulator's S3, with its schemas.
type reportsProvider struct {
	sim     *lambdasim.Server
	server  tfprotov6.ProviderServer
	schemas *tfprotov6.GetProviderSchemaResponse
}

func newReportsProvider(t *testing.T) reportsProvider {
	t.Helper()
	sim, err := lambdasim.Start(lambdasim.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	p := &awsPowerTuningProvider{version: "test", newClients: newAWSClients, getenv: func(string) string { return "" }}
	server := protocolServer(t, p)
	schemas := providerSchemas(t, server)
	endpoints := providerBlockType(t, "endpoints")
	resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		Config: configValue(t, schemas.Provider, map[string]tftypes.Value{
			"region": str(accRegion), "access_key": str("test"), "secret_key": str("test"),
			"endpoints": object(endpoints, map[string]tftypes.Value{"lambda": str(sim.URL()), "s3": str(sim.URL())}),
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if errs := errorDiagnostics(resp.Diagnostics); len(errs) > 0 {
		t.Fatalf("Configure failed:%s", describeDiagnostics(errs))
	}
	return reportsProvider{sim: sim, server: server, schemas: schemas}
}

// store writes r as the run would, at s3://reports/key.
func (p reportsProvider) store(t *testing.T, key string, r *report.Report) string {
	const bucket = "reports"
	t.Helper()
	body, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	p.sim.PutObject(bucket, key, body)
	return "s3://" + bucket + "/" + key
}

// listedRun is a run of function at a time, with figures of its own.
func listedRun(function string, at time.Time, optimum int32) *report.Report {
	r := comparedArchitecturesReport()
	r.FunctionARN = functionARN(function)
	r.Input.LambdaARN = r.FunctionARN
	r.TunedAt = at
	r.OptimalPower = optimum
	r.OptimalArchitecture, r.Architecture = "", "x86_64"
	return r
}

func (p reportsProvider) list(t *testing.T, prefix string, includeResource bool, limit int64) []tfprotov6.ListResourceResult {
	t.Helper()
	stream, err := listServer(t, p.server).ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName:        "awspowertuning_run",
		Config:          configValue(t, p.schemas.ListResourceSchemas["awspowertuning_run"], map[string]tftypes.Value{"report_s3_prefix": str(prefix)}),
		IncludeResource: includeResource,
		Limit:           limit,
	})
	if err != nil {
		t.Fatalf("ListResource: %v", err)
	}
	return slices.Collect(stream.Results)
}

// listServer is server's list resource RPCs.
func listServer(t *testing.T, server tfprotov6.ProviderServer) tfprotov6.ListResourceServer {
	t.Helper()
	s, ok := server.(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatalf("%T serves no list resources", server)
	}
	return s
}

func (p reportsProvider) identityType() tftypes.Type {
	return tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"report_s3_uri": tftypes.String, "function_arn": tftypes.String, "tuned_at": tftypes.String,
	}}
}

// identity decodes an identity into its attributes ("" for null).
func (p reportsProvider) identity(t *testing.T, data *tfprotov6.ResourceIdentityData) map[string]string {
	t.Helper()
	if data == nil || data.IdentityData == nil {
		t.Fatal("no identity")
	}
	return stringAttributes(t, data.IdentityData, p.identityType())
}

func (p reportsProvider) runType() tftypes.Type {
	return p.schemas.ResourceSchemas["awspowertuning_run"].ValueType()
}

// stringAttributes decodes the string attributes of an object ("" for null).
func stringAttributes(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]string {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, a := range attrs {
		var s *string
		if a.Type().Is(tftypes.String) && a.As(&s) == nil && s != nil {
			out[name] = *s
		}
	}
	return out
}

func TestListRuns_findsTheStoredReportsAndSkipsTheRest(t *testing.T) {
	p := newReportsProvider(t)
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	uris := []string{
		p.store(t, "runs/orders.json", listedRun("orders", at, 1024)),
		p.store(t, "runs/payments.json", listedRun("payments", at.Add(time.Hour), 512)),
		p.store(t, "runs/sub/search.json", listedRun("search", at.Add(2*time.Hour), 2048)),
	}
	p.sim.PutObject("reports", "runs/terraform.tfstate", []byte(`{"version":4,"terraform_version":"1.16.0"}`))
	p.sim.PutObject("reports", "runs/orders.html", []byte("<!doctype html><title>report</title>"))
	p.sim.PutObject("reports", "runs/old-kind.json", []byte(`{"kind":"awspowertuning-report/v0","function_arn":"x"}`))
	p.store(t, "elsewhere/orders.json", listedRun("orders", at, 128))

	results := p.list(t, "s3://reports/runs/", true, 0)
	var names []string
	for i, r := range results {
		if len(r.Diagnostics) > 0 {
			t.Fatalf("result %d has diagnostics:%s", i, describeDiagnostics(r.Diagnostics))
		}
		names = append(names, r.DisplayName)
		if i >= len(uris) {
			continue
		}
		identity := p.identity(t, r.Identity)
		if identity["report_s3_uri"] != uris[i] || identity["function_arn"] != functionARN(strings.Fields(r.DisplayName)[0]) ||
			identity["tuned_at"] != formatTime(at.Add(time.Duration(i)*time.Hour)) {
			t.Errorf("result %d identity = %v", i, identity)
		}
		// The listed resource is what an import of the same report writes.
		imported, err := p.server.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{
			TypeName: "awspowertuning_run", ID: uris[i],
		})
		if err != nil || len(imported.Diagnostics) > 0 {
			t.Fatalf("importing %s: %v%s", uris[i], err, describeDiagnostics(imported.Diagnostics))
		}
		if r.Resource == nil {
			t.Fatalf("result %d has no resource although it was asked for", i)
		}
		listed, err := r.Resource.Unmarshal(p.runType())
		if err != nil {
			t.Fatal(err)
		}
		want, err := imported.ImportedResources[0].State.Unmarshal(p.runType())
		if err != nil {
			t.Fatal(err)
		}
		if !listed.Equal(want) {
			t.Errorf("result %d resource differs from the import of %s:\n got %s\nwant %s", i, uris[i], listed, want)
		}
	}
	wantNames := []string{
		"orders @ 2026-12-07T10:00:00Z: 1024 MB",
		"payments @ 2026-12-07T11:00:00Z: 512 MB",
		"search @ 2026-12-07T12:00:00Z: 2048 MB",
	}
	if !slices.Equal(names, wantNames) {
		t.Errorf("listed %q, want %q", names, wantNames)
	}

	// Without IncludeResource only identities and names come back; a limit
	// stops the listing.
	results = p.list(t, "s3://reports/runs", false, 2)
	if len(results) != 2 {
		t.Fatalf("listed %d runs with limit 2", len(results))
	}
	for _, r := range results {
		if r.Resource != nil {
			t.Errorf("%s came with its resource, which was not asked for", r.DisplayName)
		}
	}
}

func TestListRuns_displayNameNamesAnotherArchitecture(t *testing.T) {
	r := comparedArchitecturesReport()
	r.TunedAt = r.TunedAt.Add(123456789 * time.Nanosecond)
	if got, want := runDisplayName(r), "f @ 2026-11-30T09:00:00Z: 512 MB on arm64"; got != want {
		t.Errorf("runDisplayName = %q, want %q", got, want)
	}
}

func TestListRuns_errors(t *testing.T) {
	p := newReportsProvider(t)
	p.sim.PutObject("locked", "runs/orders.json", []byte("{}"))
	p.sim.DenyS3("locked")
	tests := []struct{ prefix, summary, detail string }{
		{prefix: "s3://missing/runs/", summary: "Cannot List Reports", detail: "S3 prefix: s3://missing/runs/"},
		{prefix: "s3://locked/runs/", summary: "Report Listing Access Denied", detail: "s3:ListBucket on arn:aws:s3:::locked"},
	}
	for _, tt := range tests {
		t.Run(tt.summary, func(t *testing.T) {
			results := p.list(t, tt.prefix, true, 0)
			if len(results) != 1 {
				t.Fatalf("got %d results, want one error", len(results))
			}
			errs := errorDiagnostics(results[0].Diagnostics)
			if len(errs) != 1 || errs[0].Summary != tt.summary || !strings.Contains(errs[0].Detail, tt.detail) ||
				errs[0].Attribute.String() != "AttributeName(\"report_s3_prefix\")" {
				t.Errorf("diagnostics:%s\nwant %q on report_s3_prefix, saying %q", describeDiagnostics(results[0].Diagnostics), tt.summary, tt.detail)
			}
		})
	}
}

func TestListRuns_validatesThePrefixAtPlan(t *testing.T) {
	server := protocolServer(t, New("test")())
	schemas := providerSchemas(t, server)
	for prefix, want := range map[string]string{
		"s3://reports/runs/": "",
		"s3://reports":       "",
		"reports/runs":       "must have the form s3://bucket or s3://bucket/prefix",
		"s3://Reports/runs":  "not a valid S3 bucket name",
	} {
		resp, err := listServer(t, server).ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
			TypeName: "awspowertuning_run",
			Config:   configValue(t, schemas.ListResourceSchemas["awspowertuning_run"], map[string]tftypes.Value{"report_s3_prefix": str(prefix)}),
		})
		if err != nil {
			t.Fatal(err)
		}
		errs := errorDiagnostics(resp.Diagnostics)
		if want == "" {
			if len(errs) > 0 {
				t.Errorf("%q refused:%s", prefix, describeDiagnostics(errs))
			}
			continue
		}
		if len(errs) != 1 || errs[0].Summary != "Invalid S3 Prefix" || !strings.Contains(errs[0].Detail, "report_s3_prefix") ||
			!strings.Contains(errs[0].Detail, want) {
			t.Errorf("%q: diagnostics%s\nwant Invalid S3 Prefix naming report_s3_prefix and saying %q", prefix, describeDiagnostics(resp.Diagnostics), want)
		}
	}
}
