package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Patterns shared by schemas and tests.
var (
	roleARNPattern     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/.+$`)
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
)

const (
	minAssumeRoleDuration = 15 * time.Minute
	maxAssumeRoleDuration = 12 * time.Hour
)

// stringCheck is a validator.String built from a function that returns the
// problem with a known value, or "" when the value is fine.
type stringCheck struct {
	description string
	summary     string
	check       func(string) string
}

var _ validator.String = stringCheck{}

func (v stringCheck) Description(context.Context) string { return v.description }

func (v stringCheck) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := v.check(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary,
			fmt.Sprintf("Attribute %s %s. %s", req.Path, v.description, problem))
	}
}

// httpURL accepts absolute http(s) URLs such as an emulator's endpoint.
func httpURL() validator.String {
	return stringCheck{
		description: "must be an absolute http or https URL",
		summary:     "Invalid URL",
		check: func(s string) string {
			u, err := url.Parse(s)
			if err != nil {
				return fmt.Sprintf("It does not parse: %s.", err)
			}
			if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Sprintf("Got %q; use a URL such as https://lambda.eu-west-1.amazonaws.com or http://127.0.0.1:4566.", s)
			}
			return ""
		},
	}
}

// durationBetween accepts Go duration strings ("1h", "45m") within bounds.
func durationBetween(lo, hi time.Duration) validator.String {
	return stringCheck{
		description: fmt.Sprintf("must be a duration between %s and %s", lo, hi),
		summary:     "Invalid Duration",
		check: func(s string) string {
			d, err := time.ParseDuration(s)
			if err != nil {
				return fmt.Sprintf("Got %q; write it as a number with a unit, such as 45m or 1h30m.", s)
			}
			if d < lo || d > hi {
				return fmt.Sprintf("Got %s.", d)
			}
			return ""
		},
	}
}

// jsonText accepts any valid JSON document.
func jsonText() validator.String {
	return stringCheck{
		description: "must be valid JSON",
		summary:     "Invalid JSON",
		check: func(s string) string {
			if !json.Valid([]byte(s)) {
				return "Build the value with jsonencode() to be sure it is valid."
			}
			return ""
		},
	}
}

// capitalize starts a sentence made of an error message.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
