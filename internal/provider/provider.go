// Package provider maps Terraform configuration to the tuning engine and the
// engine's results back to Terraform state. Tuning decisions live in
// internal/tuning; nothing here decides how a function is tuned.
package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var (
	_ provider.Provider            = (*awsPowerTuningProvider)(nil)
	_ provider.ProviderWithActions = (*awsPowerTuningProvider)(nil)
)

// awsPowerTuningProvider is the awspowertuning provider.
type awsPowerTuningProvider struct {
	version string
	// newClients builds the AWS clients from the provider configuration;
	// tests replace it to count or fake what Configure builds.
	newClients clientsFactory
	// getenv reads the environment variables the provider resolves itself.
	getenv func(string) string
}

// New returns the provider factory main.go serves.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &awsPowerTuningProvider{version: version, newClients: newAWSClients, getenv: os.Getenv}
	}
}

func (p *awsPowerTuningProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "awspowertuning"
	resp.Version = p.version
}

func (p *awsPowerTuningProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	if !req.Config.Raw.IsFullyKnown() {
		resp.Diagnostics.AddError("Provider Configuration Not Known Yet",
			"Some provider arguments depend on values that are only known after apply, so the provider cannot "+
				"be configured during this plan. Use values known at plan time (variables, locals, data sources), "+
				"or apply the resources they depend on first with -target.")
		return
	}
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings, diags := config.settings(ctx, p.getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	data, diags := configure(ctx, settings, p.newClients)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	data.config.ProviderVersion = p.version // named in the run record
	lease, err := runLease(p.getenv)
	if err != nil {
		resp.Diagnostics.AddError("Invalid "+runLeaseEnv,
			fmt.Sprintf("%s must be a duration of at least %s, such as \"2m\" (the default).\n\nOriginal error: %s", runLeaseEnv, minRunLease, err))
		return
	}
	data.config.Lock.Lease = lease
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
}

func (p *awsPowerTuningProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newRunResource}
}

func (p *awsPowerTuningProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newReportDataSource, newExecutionDataSource}
}

func (p *awsPowerTuningProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{newTuneAction}
}
