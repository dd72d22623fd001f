package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
)

var _ provider.ProviderWithListResources = (*awsPowerTuningProvider)(nil)

// ListResources are what `terraform query` can list (Terraform 1.14 and later).
func (p *awsPowerTuningProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{newRunListResource}
}
