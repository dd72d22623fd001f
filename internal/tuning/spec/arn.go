package spec

import (
	"regexp"
	"strings"
)

// FunctionARNExample is the form a function ARN takes, for messages.
const FunctionARNExample = "arn:aws:lambda:<region>:<account-id>:function:<name>"

var (
	// functionNamePattern is an unqualified Lambda function name.
	functionNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	// functionARNPattern is a full function ARN with an optional qualifier;
	// groups: region, name, qualifier.
	functionARNPattern = regexp.MustCompile(
		`^arn:aws(?:-cn|-us-gov|-eusc|-iso|-iso-[a-z])?:lambda:([a-z]{2,}(?:-[a-z]+)+-[0-9]+):[0-9]{12}:function:([a-zA-Z0-9_-]{1,64})(?::([a-zA-Z0-9$_-]+))?$`)
	// partialARNPattern is "<account-id>:function:<name>", which Lambda also
	// accepts (in the caller's region); groups: name, qualifier.
	partialARNPattern = regexp.MustCompile(`^[0-9]{12}:function:([a-zA-Z0-9_-]{1,64})(?::([a-zA-Z0-9$_-]+))?$`)
)

// ParseFunctionARN splits a full function ARN into its region and function
// name (without any qualifier). A partial ARN gives "", its name, false, and
// anything else, such as a bare function name, "", s, false: the caller
// uses its default region.
func ParseFunctionARN(s string) (region, name string, isARN bool) {
	if m := functionARNPattern.FindStringSubmatch(s); m != nil {
		return m[1], m[2], true
	}
	if m := partialARNPattern.FindStringSubmatch(s); m != nil {
		return "", m[1], false
	}
	return "", s, false
}

// IsFunctionARN says whether s is a full function ARN (qualified or not).
func IsFunctionARN(s string) bool { return functionARNPattern.MatchString(s) }

// Qualifier is the version or alias a lambda_arn names ("" for none).
func Qualifier(lambdaARN string) string {
	if m := functionARNPattern.FindStringSubmatch(lambdaARN); m != nil {
		return m[3]
	}
	if m := partialARNPattern.FindStringSubmatch(lambdaARN); m != nil {
		return m[2]
	}
	return ""
}

// WithoutQualifier is lambdaARN without its ":qualifier", if any.
func WithoutQualifier(lambdaARN string) string {
	if q := Qualifier(lambdaARN); q != "" {
		return strings.TrimSuffix(lambdaARN, ":"+q)
	}
	return lambdaARN
}

// UnqualifiedARN drops a ":qualifier" from a full function ARN
// (arn:partition:lambda:region:account:function:name[:qualifier]).
func UnqualifiedARN(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) > 7 {
		return strings.Join(parts[:7], ":")
	}
	return arn
}

// FunctionARNProblem says why s designates no function (name, partial ARN
// or full ARN), or "".
func FunctionARNProblem(s string) string {
	switch {
	case s == "":
		return "set it to the name or the ARN (" + FunctionARNExample + ") of the function to tune"
	case strings.HasPrefix(s, "arn:"):
		if !functionARNPattern.MatchString(s) {
			return "it is not a Lambda function ARN: use the form " + FunctionARNExample + ", or just the function name"
		}
	case partialARNPattern.MatchString(s):
	case !functionNamePattern.MatchString(s):
		return "it is neither a function name (1-64 letters, digits, hyphens and underscores), a partial ARN " +
			"(<account-id>:function:<name>) nor a function ARN (" + FunctionARNExample + ")"
	}
	return ""
}
