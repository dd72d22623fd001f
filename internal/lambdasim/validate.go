package lambdasim

import (
	"fmt"
	"strconv"
	"strings"
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
	// aliasPattern is AWS's text; checkAliasName implements it.
	aliasPattern = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)"
)

// checkMemory applies the 128..10240 range and the account's quota, which
// AWS reports with the same words and the quota as the bound.
func (v *violations) checkMemory(mb int32, quota int32) {
	s := strconv.Itoa(int(mb))
	switch {
	case mb < minMemory:
		v.add(s, "memorySize", "Member must have value greater than or equal to 128")
	case mb > maxMemory:
		v.add(s, "memorySize", "Member must have value less than or equal to 10240")
	case mb > quota:
		v.add(s, "memorySize", fmt.Sprintf("Member must have value less than or equal to %d", quota))
	}
}

func (v *violations) checkTimeout(seconds int32) {
	s := strconv.Itoa(int(seconds))
	switch {
	case seconds < minTimeout:
		v.add(s, "timeout", "Member must have value greater than or equal to 1")
	case seconds > maxTimeout:
		v.add(s, "timeout", "Member must have value less than or equal to 900")
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
	for _, a := range allowed {
		if value == a {
			return true
		}
	}
	return false
}
