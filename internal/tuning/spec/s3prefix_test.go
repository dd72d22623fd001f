package spec

import (
	"strings"
	"testing"
)

func TestParseS3Prefix(t *testing.T) {
	tests := []struct {
		uri, bucket, prefix, problem string
	}{
		{uri: "s3://reports", bucket: "reports"},
		{uri: "s3://reports/", bucket: "reports"},
		{uri: "s3://reports/runs", bucket: "reports", prefix: "runs"},
		{uri: "s3://reports/runs/", bucket: "reports", prefix: "runs/"},
		{uri: "s3://reports/a/b/orders-", bucket: "reports", prefix: "a/b/orders-"},
		{uri: "reports/runs", problem: "must have the form s3://bucket or s3://bucket/prefix"},
		{uri: "https://reports.s3.amazonaws.com/runs", problem: "must have the form"},
		{uri: "s3://Reports/runs", problem: "not a valid S3 bucket name"},
		{uri: "s3:///runs", problem: "not a valid S3 bucket name"},
		{uri: "s3://reports/" + strings.Repeat("k", 1025), problem: "S3 keys are at most 1024 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.uri[:min(len(tt.uri), 40)], func(t *testing.T) {
			bucket, prefix, err := ParseS3Prefix(tt.uri)
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("ParseS3Prefix(%q) error = %v, want one saying %q", tt.uri, err, tt.problem)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseS3Prefix(%q): %v", tt.uri, err)
			}
			if bucket != tt.bucket || prefix != tt.prefix {
				t.Errorf("ParseS3Prefix(%q) = %q, %q; want %q, %q", tt.uri, bucket, prefix, tt.bucket, tt.prefix)
			}
		})
	}
}
