package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/stepfunctions"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// clientsFactory builds the AWS clients of a configured provider.
type clientsFactory func(ctx context.Context, aws awsclient.ConfigOptions, opts awsclient.ClientOptions) (awsapi.Clients, error)

// errMissingRegion is returned when no Region is configured anywhere.
var errMissingRegion = errors.New("no AWS Region is configured")

// newAWSClients resolves the AWS configuration without calling AWS and
// builds the engine's clients from it.
func newAWSClients(ctx context.Context, awsOpts awsclient.ConfigOptions, opts awsclient.ClientOptions) (awsapi.Clients, error) {
	cfg, err := awsclient.LoadConfig(ctx, awsOpts)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		return nil, errMissingRegion
	}
	opts.MaxRetries = cfg.RetryMaxAttempts
	opts.RetryMode = string(cfg.RetryMode)
	sdk := awsclient.New(cfg, opts)
	return sdkClients{Clients: awsapi.FromSDK(sdk), sdk: sdk}, nil
}

// sdkClients are the engine's clients plus Step Functions, which only the
// state machine runs use.
type sdkClients struct {
	awsapi.Clients
	sdk *awsclient.Clients
}

func (c sdkClients) StepFunctions(region string) stepfunctions.API {
	return c.sdk.StepFunctions(region)
}

// stepFunctionsClients is what sdkClients adds for state machine runs.
type stepFunctionsClients interface {
	StepFunctions(region string) stepfunctions.API
}

// providerData is what Configure hands to the resource and data source.
type providerData struct {
	// config is the engine configuration shared by every run (its Clients
	// also serve report reads and writes); each run gets its own Progress
	// callback so its log lines carry its context.
	config tuning.Config
	// describeBudget paces DescribeExecution polls across every run of
	// this provider.
	describeBudget *rate.Limiter
}

// describeRate is the DescribeExecution polls per second all waiting runs
// of one provider share: well within the account's quota (a bucket of 250,
// refilled at 5 per second in most Regions) however many runs wait.
const describeRate = 2

// stepFunctions is the Step Functions client of region, and how runs wait.
func (d *providerData) stepFunctions(ctx context.Context, region string) (stepfunctions.API, stepfunctions.Config, error) {
	clients, ok := d.config.Clients.(stepFunctionsClients)
	if !ok {
		return nil, stepfunctions.Config{}, errors.New("this provider was configured without a Step Functions client")
	}
	return clients.StepFunctions(region), stepfunctions.Config{Budget: d.describeBudget, Progress: progressLogger(ctx)}, nil
}

// providerDataFrom is the ProviderData a resource or data source receives in
// Configure: nil before the provider is configured (during validation).
func providerDataFrom(v any) (*providerData, diag.Diagnostics) {
	if v == nil {
		return nil, nil
	}
	data, ok := v.(*providerData)
	if !ok {
		var diags diag.Diagnostics
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil, diags
	}
	return data, nil
}

// configure builds the provider data from resolved settings.
func configure(ctx context.Context, s providerSettings, newClients clientsFactory) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	clients, err := newClients(ctx, s.AWS, awsclient.ClientOptions{
		LambdaEndpoint: s.LambdaEndpoint,
		S3Endpoint:     s.S3Endpoint,
		SFNEndpoint:    s.SFNEndpoint,
		LogsEndpoint:   s.LogsEndpoint,
		Rates:          s.Rates,
	})
	switch {
	case errors.Is(err, errMissingRegion):
		diags.AddAttributeError(path.Root("region"), "Missing AWS Region",
			"The provider needs an AWS Region for function names and S3 requests, and none is configured. "+
				"Set region in the provider block, the AWS_REGION or AWS_DEFAULT_REGION environment variable, "+
				"or region in the shared config profile.")
		return nil, diags
	case err != nil:
		diags.AddError("Invalid AWS Configuration",
			"The provider could not build its AWS configuration from the provider block, the environment "+
				"and the shared config files. Check the profile name and the files it names.\n\n"+
				"Original error: "+err.Error())
		return nil, diags
	}
	cfg := tuning.Config{
		Clients:          clients,
		Prices:           s.Prices,
		PowerValues:      s.PowerValues,
		VisualizationURL: s.VisualizationURL,
		// Shared by every run of this provider: what one run learns about a
		// function's updates, and the invocations all runs may have in flight.
		Latencies: waiter.NewLatencies(),
	}
	if s.MaxInvocations > 0 {
		cfg.InvocationBudget = semaphore.NewWeighted(int64(s.MaxInvocations))
	}
	return &providerData{describeBudget: rate.NewLimiter(describeRate, 1), config: cfg}, diags
}

// engine returns an engine whose progress goes to the Terraform log of ctx
// (TF_LOG=INFO shows it), with ctx's fields such as the function. Engines are
// cheap; runs on one function are still serialized process-wide by the
// tuning package.
func (d *providerData) engine(ctx context.Context) *tuning.Engine {
	cfg := d.config
	cfg.Progress = progressLogger(ctx)
	return tuning.New(cfg)
}

// progressLogger sends progress events to the Terraform log of ctx at
// INFO (TF_LOG=INFO shows them), each a sentence that reads on its own, with
// its figures as fields.
func progressLogger(ctx context.Context) func(progress.Event) {
	return func(ev progress.Event) {
		if ev.Kind == progress.Invoked && !progress.Milestone(ev.Done, ev.Total) {
			return // a log line every tenth of the way is enough
		}
		fields := map[string]any{"event": string(ev.Kind)}
		if ev.Power != 0 {
			fields["power"] = ev.Power
		}
		if ev.Arch != "" {
			fields["architecture"] = ev.Arch
		}
		if ev.Total != 0 {
			fields["done"], fields["total"] = ev.Done, ev.Total
		}
		if ev.AverageMs != 0 {
			fields["average_ms"] = ev.AverageMs
		}
		tflog.Info(ctx, ev.String(), fields)
	}
}

// partition is the ARN partition of the provider's Region, where its S3
// bucket ARNs live, for IAM advice.
func (d *providerData) partition() string {
	return spec.PartitionOf(d.config.Clients.DefaultRegion())
}
