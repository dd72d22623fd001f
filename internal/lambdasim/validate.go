package lambdasim

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// violations collects constraint failures the way AWS reports them: all of
// them in one ValidationException.
type violations []string

func (v *violations) add(value, member, constraint string) {
	*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint))
}

func (v violations) err() *apiError {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return errValidation("1 validation error detected: " + v[0])
	default:
		return errValidation(fmt.Sprintf("%d validation errors detected: %s", len(v), strings.Join(v, "; ")))
	}
}

const (
	minMemory   = 128
	maxMemory   = 10240
	minTimeout  = 1
	maxTimeout  = 900
	maxAliasLen = 128

	maxDescriptionLen = 256

	minEphemeralStorage = 512
	maxEphemeralStorage = 10240

	// aliasPattern is AWS's text; checkAliasName implements it.
	aliasPattern = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)"

	// rolePattern is the execution role ARN AWS accepts, in AWS's words.
	rolePattern = `arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`
)

// roleARN matches rolePattern as a whole, as AWS does.
var roleARN = regexp.MustCompile(`^(?:` + rolePattern + `)$`)

// checkRole: CreateFunction and UpdateFunctionConfiguration refuse a role
// that is not an IAM role ARN (whether the role exists is IAM's business,
// which the emulator does not have).
func (v *violations) checkRole(role string) {
	if !roleARN.MatchString(role) {
		v.add(role, "role", "Member must satisfy regular expression pattern: "+rolePattern)
	}
}

// checkRange adds AWS's violation for a number outside lo..hi.
func (v *violations) checkRange(member string, n, lo, hi int32) {
	s := strconv.Itoa(int(n))
	switch {
	case n < lo:
		v.add(s, member, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	case n > hi:
		v.add(s, member, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
}

// checkMemory applies the 128..10240 range and the account's quota, which
// AWS reports with the same words and the quota as the bound; above 10240
// the bound named is 10240 whatever the quota.
func (v *violations) checkMemory(mb int32, quota int32) {
	bound := quota
	if mb > maxMemory {
		bound = maxMemory
	}
	v.checkRange("memorySize", mb, minMemory, bound)
}

// checkDescription: function, version and alias descriptions are at most
// 256 characters; nil is absent.
func (v *violations) checkDescription(d *string) {
	if d != nil && utf8.RuneCountInString(*d) > maxDescriptionLen {
		v.add(*d, "description", "Member must have length less than or equal to 256")
	}
}

// checkAliasName: 1–128 characters of [a-zA-Z0-9-_], not only digits.
func (v *violations) checkAliasName(name string) {
	switch {
	case len(name) < 1:
		v.add(name, "name", "Member must have length greater than or equal to 1")
	case len(name) > maxAliasLen:
		v.add(name, "name", "Member must have length less than or equal to 128")
	case !isAliasName(name):
		v.add(name, "name", "Member must satisfy regular expression pattern: "+aliasPattern)
	}
}

func isAliasName(name string) bool {
	digitsOnly := true
	for _, c := range name {
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-', c == '_':
			digitsOnly = false
		default:
			return false
		}
	}
	return !digitsOnly
}

// isVersionNumber reports whether q names a published version ("1", "2", …).
func isVersionNumber(q string) bool {
	if q == "" {
		return false
	}
	for _, c := range q {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func oneOf(value string, allowed ...string) bool {
	return slices.Contains(allowed, value)
}
