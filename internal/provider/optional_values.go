package provider

import "github.com/hashicorp/terraform-plugin-framework/types"

// Unset inputs are null in Terraform and zero values in the engine's
// input: these map an engine value back, zero as null.

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func optionalInt(i int) types.Int64 {
	if i == 0 {
		return types.Int64Null()
	}
	return types.Int64Value(int64(i))
}

func optionalFloat(f float64) types.Float64 {
	if f == 0 {
		return types.Float64Null()
	}
	return types.Float64Value(f)
}
