package lambdasim

import (
	"strings"
)

// functionRef is a FunctionName path value taken apart: a name, a partial
// ARN ("123456789012:function:name") or a full ARN, each optionally with a
// ":qualifier".
type functionRef struct {
	name      string
	qualifier string
	region    string // from a full ARN; "" otherwise
	account   string // from a full or partial ARN; "" otherwise
}

const functionNamePattern = `(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`

func parseFunctionRef(s string) (functionRef, *apiError) {
	var ref functionRef
	parts := strings.Split(s, ":")
	switch {
	case len(parts) >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function":
		ref.region, ref.account = parts[3], parts[4]
		parts = parts[6:]
	case len(parts) >= 3 && parts[1] == "function":
		ref.account = parts[0]
		parts = parts[2:]
	}
	switch len(parts) {
	case 1:
		ref.name = parts[0]
	case 2:
		ref.name, ref.qualifier = parts[0], parts[1]
	default:
		return ref, invalidFunctionName(s)
	}
	if !validFunctionName(ref.name) || (len(parts) == 2 && ref.qualifier == "") {
		return ref, invalidFunctionName(s)
	}
	return ref, nil
}

// createNamePattern is AWS's text for the names CreateFunction accepts.
const createNamePattern = `(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`

// checkNewFunctionName applies CreateFunction's rules to a plain name (1–64
// of [a-zA-Z0-9-_]); AWS answers a bad one with InvalidParameterValueException
// where other operations say ValidationException. ARNs are checked by
// parseFunctionRef.
func checkNewFunctionName(name string) *apiError {
	if strings.Contains(name, ":") {
		return nil
	}
	var v violations
	if len(name) > 64 {
		v.add(name, "functionName", "Member must have length less than or equal to 64")
	}
	if name == "" || !nameChars(name) {
		v.add(name, "functionName", "Member must satisfy regular expression pattern: "+createNamePattern)
	}
	err := v.err()
	if err != nil {
		err.code = "InvalidParameterValueException"
	}
	return err
}

func invalidFunctionName(s string) *apiError {
	var v violations
	v.add(s, "functionName", "Member must satisfy regular expression pattern: "+functionNamePattern)
	return v.err()
}

func validFunctionName(name string) bool {
	return name != "" && len(name) <= 64 && nameChars(name)
}

// nameChars reports whether a name has only [a-zA-Z0-9-_].
func nameChars(name string) bool {
	for _, c := range name {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}

// withQueryQualifier merges the ?Qualifier= value into the reference: both
// may be given only if they agree.
func (r functionRef) withQueryQualifier(q string) (functionRef, *apiError) {
	switch {
	case q == "":
		return r, nil
	case r.qualifier == "":
		r.qualifier = q
		return r, nil
	case r.qualifier != q:
		return r, errInvalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
	}
	return r, nil
}

// partitionsByRegionPrefix maps the start of a region's name to its ARN
// partition; every other region is in "aws". us-isob- comes before us-iso-,
// which it also starts with.
var partitionsByRegionPrefix = []struct{ prefix, partition string }{
	{"us-isob-", "aws-iso-b"},
	{"us-isof-", "aws-iso-f"},
	{"eu-isoe-", "aws-iso-e"},
	{"us-iso-", "aws-iso"},
	{"us-gov-", "aws-us-gov"},
	{"cn-", "aws-cn"},
	{"eusc-", "aws-eusc"},
}

// partition is the ARN partition a region belongs to.
func partition(region string) string {
	for _, p := range partitionsByRegionPrefix {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return "aws"
}

func functionARN(region, account, name string) string {
	return "arn:" + partition(region) + ":lambda:" + region + ":" + account + ":function:" + name
}

// regionFromAuthorization reads the region of a SigV4 credential scope
// ("Credential=AKID/20240101/us-west-2/lambda/aws4_request"); signatures
// themselves are not checked.
func regionFromAuthorization(h string) string {
	_, rest, ok := strings.Cut(h, "Credential=")
	if !ok {
		return ""
	}
	scope, _, _ := strings.Cut(rest, ",")
	fields := strings.Split(scope, "/")
	if len(fields) < 3 {
		return ""
	}
	return fields[2]
}
