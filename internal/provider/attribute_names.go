package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// attributeOf returns the root attribute name a diagnostic is about, or "".
func attributeOf(d diag.Diagnostic) string {
	withPath, ok := d.(diag.DiagnosticWithPath)
	if !ok {
		return ""
	}
	var names []string
	for _, step := range withPath.Path().Steps() {
		name, ok := step.(path.PathStepAttributeName)
		if !ok {
			break // an element: the attribute is the list
		}
		names = append(names, string(name))
	}
	return strings.Join(names, ".")
}

// attributePath is the path of an attribute the specification names, such
// as "managed_instances.memory_per_vcpu".
func attributePath(name string) path.Path {
	parts := strings.Split(name, ".")
	p := path.Root(parts[0])
	for _, part := range parts[1:] {
		p = p.AtName(part)
	}
	return p
}

// attributeNamed is the schema attribute the specification names; nil when
// there is none.
func attributeNamed(attributes map[string]schema.Attribute, name string) schema.Attribute {
	parts := strings.Split(name, ".")
	a := attributes[parts[0]]
	for _, part := range parts[1:] {
		nested, ok := a.(schema.SingleNestedAttribute)
		if !ok {
			return nil
		}
		a = nested.Attributes[part]
	}
	return a
}

// acronyms keeps the summary readable: "Invalid Lambda ARN", not "Lambda Arn".
var acronyms = map[string]string{"arn": "ARN", "s3": "S3", "uri": "URI", "ms": "(ms)"}

// titleAttribute renders an attribute name in Title Case for a summary.
func titleAttribute(name string) string {
	name = name[strings.LastIndex(name, ".")+1:] // a nested attribute by its own name
	words := strings.Split(name, "_")
	for i, w := range words {
		if a, ok := acronyms[w]; ok {
			words[i] = a
		} else if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
