package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// providerSettings is the provider block resolved into engine terms.
type providerSettings struct {
	AWS              awsclient.ConfigOptions
	LambdaEndpoint   string
	S3Endpoint       string
	SFNEndpoint      string
	LogsEndpoint     string
	PowerValues      []int32
	VisualizationURL string
	Prices           analysis.PriceTable
	Rates            awsclient.RequestRates
	MaxInvocations   int // across all runs; 0: no limit
}

// settings resolves the provider block. getenv supplies the endpoint
// environment variables that the provider resolves itself (the S3 client
// must know an endpoint is custom to switch to path-style addressing).
func (m providerModel) settings(ctx context.Context, getenv func(string) string) (providerSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := providerSettings{
		AWS: awsclient.ConfigOptions{
			Region:     m.Region.ValueString(),
			Profile:    m.Profile.ValueString(),
			AccessKey:  m.AccessKey.ValueString(),
			SecretKey:  m.SecretKey.ValueString(),
			Token:      m.Token.ValueString(),
			MaxRetries: int(m.MaxRetries.ValueInt64()),
			RetryMode:  m.RetryMode.ValueString(),
			Getenv:     getenv,
		},
		VisualizationURL: m.VisualizationURL.ValueString(),
		Rates: awsclient.RequestRates{
			ControlPlane: int(m.ControlPlaneRate.ValueInt64()),
			GetFunction:  int(m.GetFunctionRate.ValueInt64()),
		},
		MaxInvocations: int(m.MaxInvocations.ValueInt64()),
	}

	var d diag.Diagnostics
	s.AWS.SharedConfigFiles, d = expandedPaths(ctx, m.SharedConfigFiles)
	diags.Append(d...)
	s.AWS.SharedCredentialsFiles, d = expandedPaths(ctx, m.SharedCredentialsFiles)
	diags.Append(d...)

	var endpoints endpointsModel
	if m.Endpoints != nil {
		endpoints = *m.Endpoints
	}
	s.LambdaEndpoint = resolveEndpoint(endpoints.Lambda, "LAMBDA", getenv)
	s.S3Endpoint = resolveEndpoint(endpoints.S3, "S3", getenv)
	s.SFNEndpoint = resolveEndpoint(endpoints.SFN, "SFN", getenv)
	s.LogsEndpoint = resolveEndpoint(endpoints.Logs, "CLOUDWATCH_LOGS", getenv)
	s.AWS.STSEndpoint = resolveEndpoint(endpoints.STS, "STS", getenv)

	if m.AssumeRole != nil {
		s.AWS.AssumeRole, d = m.AssumeRole.options(ctx)
		diags.Append(d...)
	}

	if !m.DefaultPowerValues.IsNull() {
		var values []int64
		diags.Append(m.DefaultPowerValues.ElementsAs(ctx, &values, false)...)
		for _, v := range values {
			s.PowerValues = append(s.PowerValues, int32(v)) //nolint:gosec // range-checked by the schema
		}
	}

	s.Prices, d = priceTable(ctx, m.LambdaPrices)
	diags.Append(d...)
	return s, diags
}

func (m assumeRoleModel) options(ctx context.Context) (*awsclient.AssumeRoleOptions, diag.Diagnostics) {
	var diags diag.Diagnostics
	o := &awsclient.AssumeRoleOptions{
		RoleARN:     m.RoleARN.ValueString(),
		SessionName: m.SessionName.ValueString(),
		ExternalID:  m.ExternalID.ValueString(),
		Policy:      m.Policy.ValueString(),
	}
	if !m.Duration.IsNull() {
		d, err := time.ParseDuration(m.Duration.ValueString())
		if err != nil { // the schema validator has said so already
			diags.AddAttributeError(path.Root("assume_role").AtName("duration"), "Invalid Duration", err.Error())
		}
		o.Duration = d
	}
	if !m.PolicyARNs.IsNull() {
		diags.Append(m.PolicyARNs.ElementsAs(ctx, &o.PolicyARNs, false)...)
	}
	if !m.Tags.IsNull() {
		diags.Append(m.Tags.ElementsAs(ctx, &o.Tags, false)...)
	}
	return o, diags
}

// priceTable turns lambda_prices into engine overrides, refusing two
// entries for the same Region and architecture.
func priceTable(ctx context.Context, list types.List) (analysis.PriceTable, diag.Diagnostics) {
	var diags diag.Diagnostics
	if list.IsNull() {
		return analysis.PriceTable{}, nil
	}
	var entries []lambdaPriceModel
	diags.Append(list.ElementsAs(ctx, &entries, false)...)
	table := analysis.PriceTable{Overrides: make(map[analysis.PriceKey]analysis.Price, len(entries))}
	for i, e := range entries {
		key := analysis.PriceKey{Region: e.Region.ValueString(), Architecture: e.Architecture.ValueString()}
		if _, dup := table.Overrides[key]; dup {
			diags.AddAttributeError(path.Root("lambda_prices").AtListIndex(i), "Duplicate Lambda Price",
				fmt.Sprintf("lambda_prices has more than one entry for region %q and architecture %q. "+
					"Keep one entry per Region and architecture.", key.Region, key.Architecture))
			continue
		}
		table.Overrides[key] = analysis.Price{
			PerGBSecond: e.PricePerGBSecond.ValueFloat64(),
			PerRequest:  e.PricePerRequest.ValueFloat64(),
			Currency:    e.Currency.ValueString(),
		}
	}
	return table, diags
}

// resolveEndpoint applies the AWS SDKs' precedence: the provider argument,
// then AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, unless
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true.
func resolveEndpoint(explicit types.String, service string, getenv func(string) string) string {
	if v := explicit.ValueString(); v != "" {
		return v
	}
	if strings.EqualFold(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		return ""
	}
	if v := getenv("AWS_ENDPOINT_URL_" + service); v != "" {
		return v
	}
	return getenv("AWS_ENDPOINT_URL")
}

// expandedPaths reads a list of file paths, expanding a leading ~ like the
// AWS provider does.
func expandedPaths(ctx context.Context, list types.List) ([]string, diag.Diagnostics) {
	if list.IsNull() {
		return nil, nil
	}
	var paths []string
	diags := list.ElementsAs(ctx, &paths, false)
	for i, p := range paths {
		if p == "~" || strings.HasPrefix(p, "~/") {
			home, err := os.UserHomeDir()
			if err != nil {
				diags.AddError("Cannot Expand Home Directory",
					fmt.Sprintf("The path %q starts with ~ but the home directory is unknown: %s. Use an absolute path.", p, err))
				continue
			}
			paths[i] = filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return paths, diags
}
