package provider

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// tuneActionAt is the action configured against the emulator at url.
func tuneActionAt(url string) *tuneAction {
	cfg := aws.Config{Region: accRegion, Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	clients := awsapi.FromSDK(awsclient.New(cfg, awsclient.ClientOptions{LambdaEndpoint: url, S3Endpoint: url, LogsEndpoint: url,
		MaxBackoff: time.Millisecond, MaxRetries: 2}))
	return &tuneAction{clock: clock.Real{}, data: &providerData{config: tuning.Config{Clients: clients,
		Waits: waiter.Settings{Min: time.Millisecond, Max: 5 * time.Millisecond}, CleanupTimeout: 10 * time.Second}}}
}

// tuneActionConfig is the action's configuration with the given arguments,
// every other one null.
func tuneActionConfig(t *testing.T, arguments map[string]tftypes.Value) tfsdk.Config {
	t.Helper()
	s := tuneActionSchema(t)
	typ := s.Type().TerraformType(context.Background()).(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
		if v, ok := arguments[name]; ok {
			values[name] = v
		}
	}
	for name := range arguments {
		if _, ok := typ.AttributeTypes[name]; !ok {
			t.Fatalf("the action has no argument %s", name)
		}
	}
	return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(typ, values)}
}

func numbers(values ...int) tftypes.Value {
	out := make([]tftypes.Value, len(values))
	for i, v := range values {
		out[i] = tftypes.NewValue(tftypes.Number, v)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.Number}, out)
}

// arrivedLine is a progress line and how many invocations the emulator had
// run when it arrived.
type arrivedLine struct {
	text        string
	invocations int
}

// The action's Invoke runs the tuning against the emulator, leaves the
// function as found, stores the report, and sends progress lines naming
// each memory size while the invocations still go on.
func TestTuneActionInvokeReportsProgressWhileItRuns(t *testing.T) {
	sim, err := lambdasim.Start(lambdasim.Options{Seed: 1, UpdateDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	arn, err := sim.AddFunction(lambdasim.FunctionSpec{Name: "api", MemorySize: accMemory, Timeout: 30, Environment: cpuBound})
	if err != nil {
		t.Fatal(err)
	}
	a := tuneActionAt(sim.URL())
	const uri = "s3://reports/api.json"
	sizes, num := []int{256, 512, 1024}, 10
	var arrived []arrivedLine
	resp := action.InvokeResponse{SendProgress: func(ev action.InvokeProgressEvent) {
		arrived = append(arrived, arrivedLine{ev.Message, sim.Stats().Invocations})
	}}
	a.Invoke(context.Background(), action.InvokeRequest{Config: tuneActionConfig(t, map[string]tftypes.Value{
		"lambda_arn":    tftypes.NewValue(tftypes.String, arn),
		"num":           tftypes.NewValue(tftypes.Number, num),
		"power_values":  numbers(sizes...),
		"report_s3_uri": tftypes.NewValue(tftypes.String, uri),
	})}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("invoke failed: %v", resp.Diagnostics)
	}
	total := len(sizes) * num
	if got := sim.Stats().Invocations; got != total {
		t.Fatalf("the emulator ran %d invocations, want %d", got, total)
	}
	var texts []string
	for _, l := range arrived {
		texts = append(texts, l.text)
	}
	all := strings.Join(texts, "\n")
	if !strings.HasPrefix(texts[0], "tuning "+arn+": 3 memory sizes (256, 512, 1024 MB) × 10 invocations, isolation none") {
		t.Errorf("first line %q, want the plan", texts[0])
	}
	for _, size := range sizes {
		name := strconv.Itoa(size) + " MB"
		count := regexp.MustCompile(`^` + name + `: \d+/10 invocations`)
		i := slices.IndexFunc(arrived, func(l arrivedLine) bool { return count.MatchString(l.text) })
		switch {
		case i < 0:
			t.Errorf("no count of %d MB's invocations in:\n%s", size, all)
		case arrived[i].invocations >= total:
			t.Errorf("%d MB's first count %q arrived after all %d invocations", size, arrived[i].text, total)
		}
		if !containsPrefix(texts, name+": 10/10 invocations") {
			t.Errorf("no final count of %d MB in:\n%s", size, all)
		}
		if !containsPrefix(texts, name+" ready") {
			t.Errorf("%d MB was not said to be configured in:\n%s", size, all)
		}
	}
	result := slices.IndexFunc(texts, func(s string) bool { return strings.HasPrefix(s, "optimal memory size for "+arn) })
	cleanup := slices.IndexFunc(texts, func(s string) bool { return strings.HasPrefix(s, "cleaning up") })
	if result < 0 || cleanup < 0 || cleanup > result || !strings.Contains(texts[result], "today's 128 MB was not measured") {
		t.Errorf("want clean-up, then the result compared with today's 128 MB, in:\n%s", all)
	}
	if texts[len(texts)-1] != "report stored at "+uri {
		t.Errorf("last line %q, want the report's place", texts[len(texts)-1])
	}

	stored, err := report.ReadReport(context.Background(), a.data.config.Clients.S3(), uri)
	if err != nil {
		t.Fatalf("reading the stored report: %v", err)
	}
	if stored.FunctionARN != arn || stored.OptimalPower == 0 || len(stored.Results) != len(sizes) {
		t.Errorf("stored report: function %s, optimum %d, %d results", stored.FunctionARN, stored.OptimalPower, len(stored.Results))
	}
	env := &accEnv{sim: sim, lambda: lambda.New(lambda.Options{Region: accRegion, BaseEndpoint: aws.String(sim.URL()),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})}
	if err := env.cleanCheck(arn, accMemory)(nil); err != nil {
		t.Error(err)
	}
}

// Null arguments take the run resource's defaults.
func TestTuneActionNullArgumentsTakeTheResourceDefaults(t *testing.T) {
	m, diags := readTuneAction(context.Background(), tuneActionConfig(t, map[string]tftypes.Value{
		"lambda_arn": tftypes.NewValue(tftypes.String, "api"),
		"num":        tftypes.NewValue(tftypes.Number, 10),
		"strategy":   tftypes.NewValue(tftypes.String, "speed"),
	}))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if m.Strategy.ValueString() != "speed" || m.Sampling.ValueString() != "exhaustive" || m.Isolation.ValueString() != "none" ||
		m.InvokeMode.ValueString() != "auto" || m.DiscardTopBottom.ValueFloat64() != 0.2 || m.DryRun.IsNull() || m.ReportS3HTML.IsNull() ||
		m.SleepBetweenRunsMs.IsNull() || !m.PowerValues.IsNull() || !m.Timeouts.IsNull() {
		t.Errorf("read %+v, want the given strategy and the resource's defaults elsewhere", m)
	}
}

// The action refuses what the resource refuses, in the same words.
func TestTuneActionValidatesLikeTheRunResource(t *testing.T) {
	tests := []struct {
		arguments map[string]tftypes.Value
		want      string
	}{
		{map[string]tftypes.Value{"num": tftypes.NewValue(tftypes.Number, 3)}, "num: Invalid Num"},
		{map[string]tftypes.Value{"num": tftypes.NewValue(tftypes.Number, 10), "report_s3_html": tftypes.NewValue(tftypes.Bool, true)},
			"report_s3_html: HTML Report Needs report_s3_uri"},
	}
	for _, tt := range tests {
		tt.arguments["lambda_arn"] = tftypes.NewValue(tftypes.String, "api")
		var resp action.ValidateConfigResponse
		newTuneAction().(*tuneAction).ValidateConfig(context.Background(), action.ValidateConfigRequest{Config: tuneActionConfig(t, tt.arguments)}, &resp)
		var got []string
		for _, d := range resp.Diagnostics.Errors() {
			got = append(got, attributeOf(d)+": "+d.Summary())
		}
		if !slices.Equal(got, []string{tt.want}) {
			t.Errorf("errors %q, want %q", got, tt.want)
		}
	}
}

// A failed run is an error, in the action's words for its timeout.
func TestTuneActionDiagnosticsNameTheInvokeTimeout(t *testing.T) {
	diags := forAction(runErrorDiagnostics(context.DeadlineExceeded, "api", time.Minute))
	if !diags.HasError() {
		t.Fatal("a timed-out run gave no error")
	}
	detail := diags.Errors()[0].Detail()
	if !strings.Contains(detail, "invoke timeout (1m)") || !strings.Contains(detail, "timeouts { invoke = ... }") || strings.Contains(detail, "create") {
		t.Errorf("detail %q, want the invoke timeout named and no create", detail)
	}
	warning := diag.NewAttributeWarningDiagnostic(path.Root("lambda_arn"), "Some Warning", "within the create timeout")
	kept := forAction(diag.Diagnostics{warning})
	if want := diag.NewAttributeWarningDiagnostic(path.Root("lambda_arn"), "Some Warning", "within the invoke timeout"); len(kept) != 1 || !kept[0].Equal(want) {
		t.Errorf("a warning became %v, want %v", kept, want)
	}
}

func containsPrefix(lines []string, prefix string) bool {
	return slices.ContainsFunc(lines, func(s string) bool { return strings.HasPrefix(s, prefix) })
}
