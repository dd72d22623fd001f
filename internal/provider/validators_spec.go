package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Validators of the tuning inputs whose rule lives in the specification:
// they only call it, so plan and apply refuse the same values with the
// same reasons.

// functionReference accepts what lambda_arn may be: a function name, a
// partial ARN or a function ARN.
func functionReference() validator.String {
	return stringCheck{
		description: "must name a Lambda function: its name, its partial ARN or its ARN",
		summary:     "Invalid Lambda ARN",
		check: func(s string) string {
			if problem := spec.FunctionARNProblem(s); problem != "" {
				return capitalize(problem) + "."
			}
			return ""
		},
	}
}

// s3URI accepts s3://bucket/key with a valid bucket name.
func s3URI() validator.String {
	return stringCheck{
		description: "must be an S3 object URI of the form s3://bucket/key",
		summary:     "Invalid S3 URI",
		check: func(s string) string {
			if _, _, err := spec.ParseS3URI(s); err != nil {
				return capitalize(err.Error()) + "."
			}
			return ""
		},
	}
}

// s3Location accepts s3://bucket or s3://bucket/prefix with a valid bucket
// name.
func s3Location() validator.String {
	return stringCheck{
		description: "must be an S3 location of the form s3://bucket or s3://bucket/prefix",
		summary:     "Invalid S3 URI",
		check: func(s string) string {
			if _, _, err := spec.ParseS3Location(s); err != nil {
				return capitalize(err.Error()) + "."
			}
			return ""
		},
	}
}

// aliasName accepts what Lambda accepts as an alias name, minus the names a
// run creates or keeps its record in.
func aliasName() validator.String {
	return stringCheck{
		description: fmt.Sprintf("must be a Lambda alias name (1 to %d letters, digits, - or _, not only digits) "+
			"that a tuning run does not use itself", spec.MaxAliasNameLength),
		summary: "Invalid Alias Name",
		check: func(s string) string {
			if problem := spec.AliasNameProblem(s); problem != "" {
				return fmt.Sprintf("%q %s.", s, problem)
			}
			return ""
		},
	}
}
