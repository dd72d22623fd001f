package spec

import (
	"fmt"
	"regexp"
	"strings"
)

// maxS3KeyBytes is S3's longest object key.
const maxS3KeyBytes = 1024

var (
	s3BucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	ipv4Pattern         = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)
)

// ParseS3URI splits "s3://bucket/key", checking the bucket against S3's
// general purpose bucket-naming rules and that there is a key. It is the one
// grammar of payload_s3, report_s3_uri and import IDs, for the provider's
// plan-time checks and the engine alike.
func ParseS3URI(uri string) (bucket, key string, err error) {
	bucket, key, err = splitS3URI(uri, "s3://bucket/key")
	switch {
	case err != nil:
		return "", "", err
	case key == "":
		return "", "", fmt.Errorf("%q has no object key: use s3://%s/<key>", uri, bucket)
	case len(key) > maxS3KeyBytes:
		return "", "", fmt.Errorf("the object key of %q is %d bytes long: S3 keys are at most %d bytes", uri, len(key), maxS3KeyBytes)
	}
	return bucket, key, nil
}

// splitS3URI splits "s3://bucket[/rest]" and checks the bucket; form is the
// shape the caller's argument takes, for the error.
func splitS3URI(uri, form string) (bucket, rest string, err error) {
	after, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return "", "", fmt.Errorf("%q must have the form %s", uri, form)
	}
	bucket, rest, _ = strings.Cut(after, "/")
	if problem := s3BucketNameProblem(bucket); problem != "" {
		return "", "", fmt.Errorf("%q is not a valid S3 bucket name: %s", bucket, problem)
	}
	return bucket, rest, nil
}

// s3BucketNameProblem says how b breaks S3's bucket-naming rules, or "".
func s3BucketNameProblem(b string) string {
	switch {
	case !s3BucketNamePattern.MatchString(b):
		return "use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit"
	case strings.Contains(b, ".."):
		return "it has two adjacent dots"
	case ipv4Pattern.MatchString(b):
		return "it is formatted as an IP address"
	case strings.HasPrefix(b, "xn--"), strings.HasPrefix(b, "sthree-"), strings.HasPrefix(b, "amzn-s3-demo-"):
		return "the prefixes xn--, sthree- and amzn-s3-demo- are reserved"
	case strings.HasSuffix(b, "-s3alias"), strings.HasSuffix(b, "--ol-s3"), strings.HasSuffix(b, ".mrap"):
		return "the suffixes -s3alias, --ol-s3 and .mrap are reserved for access points"
	}
	return ""
}

// ParseS3Location splits copies_code_s3_uri ("s3://bucket" or
// "s3://bucket/prefix") into a bucket and a key prefix ("" or ending in "/").
func ParseS3Location(uri string) (bucket, prefix string, err error) {
	bucket, prefix, err = splitS3URI(uri, "s3://bucket or s3://bucket/prefix")
	if err != nil {
		return "", "", err
	}
	if prefix = strings.Trim(prefix, "/"); prefix != "" {
		prefix += "/"
	}
	return bucket, prefix, nil
}
