package spec_test

import (
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func TestParseS3URI(t *testing.T) {
	valid := map[string][2]string{
		"s3://reports/run.json":              {"reports", "run.json"},
		"s3://my-bucket.data/path/to/x.json": {"my-bucket.data", "path/to/x.json"},
		"s3://abc/a/b/":                      {"abc", "a/b/"},
	}
	for uri, want := range valid {
		bucket, key, err := spec.ParseS3URI(uri)
		if err != nil || bucket != want[0] || key != want[1] {
			t.Errorf("ParseS3URI(%q) = %q, %q, %v; want %q, %q", uri, bucket, key, err, want[0], want[1])
		}
	}
	invalid := map[string]string{
		"reports/run.json":                         "s3://bucket/key",
		"https://reports/run.json":                 "s3://bucket/key",
		"s3://a..b/k":                              "adjacent dots",
		"s3://ab/k":                                "3 to 63",
		"s3://" + strings.Repeat("b", 64) + "/k":   "3 to 63",
		"s3://My-Bucket/k":                         "lowercase",
		"s3://-bucket/k":                           "starting and ending",
		"s3://bucket-/k":                           "starting and ending",
		"s3://bucket_name/k":                       "lowercase letters",
		"s3://192.168.5.4/k":                       "IP address",
		"s3://xn--bucket/k":                        "reserved",
		"s3://sthree-bucket/k":                     "reserved",
		"s3://amzn-s3-demo-bucket/k":               "reserved",
		"s3://bucket-s3alias/k":                    "access points",
		"s3://bucket--ol-s3/k":                     "access points",
		"s3://bucket.mrap/k":                       "access points",
		"s3://bucket":                              "no object key",
		"s3://bucket/":                             "no object key",
		"s3://bucket/" + strings.Repeat("k", 1025): "at most 1024 bytes",
	}
	for uri, hint := range invalid {
		if _, _, err := spec.ParseS3URI(uri); err == nil || !strings.Contains(err.Error(), hint) {
			t.Errorf("ParseS3URI(%.40q) = %v, want an error saying %q", uri, err, hint)
		}
	}
}
