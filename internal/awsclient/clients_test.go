package awsclient

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

func TestNewRetryer(t *testing.T) {
	tests := []struct {
		opts         ClientOptions
		wantAttempts int
		adaptive     bool
	}{
		{ClientOptions{}, DefaultMaxRetries, false},
		{ClientOptions{MaxRetries: 7}, 7, false},
		{ClientOptions{MaxRetries: 9, RetryMode: "adaptive"}, 9, true},
	}
	for _, tt := range tests {
		c := New(aws.Config{Region: "eu-west-1"}, tt.opts)
		r := c.cfg.Retryer()
		if r.MaxAttempts() != tt.wantAttempts {
			t.Errorf("%+v: max attempts %d, want %d", tt.opts, r.MaxAttempts(), tt.wantAttempts)
		}
		_, isAdaptive := r.(*retry.AdaptiveMode)
		if isAdaptive != tt.adaptive {
			t.Errorf("%+v: retryer %T, adaptive want %v", tt.opts, r, tt.adaptive)
		}
	}
}

func TestNewCachesOneLambdaClientPerRegion(t *testing.T) {
	c := New(aws.Config{Region: "eu-west-1"}, ClientOptions{LambdaEndpoint: "http://127.0.0.1:1"})
	if c.DefaultRegion() != "eu-west-1" {
		t.Errorf("default region %q", c.DefaultRegion())
	}
	first, second := c.Lambda("us-east-1"), c.Lambda("us-east-1")
	if first != second {
		t.Error("a second Lambda client was built for the same region")
	}
	if c.Lambda("us-east-1") == c.Lambda("eu-west-1") || c.Lambda("") != c.Lambda("eu-west-1") {
		t.Error("regions share clients, or \"\" is not the default region")
	}
	firstSFN, secondSFN := c.StepFunctions("us-east-1"), c.StepFunctions("us-east-1")
	if firstSFN != secondSFN || c.StepFunctions("") != c.StepFunctions("eu-west-1") || firstSFN == c.StepFunctions("eu-west-1") {
		t.Error("Step Functions clients are not one per region")
	}
	if got := c.StepFunctions("ap-south-1").Options().Region; got != "ap-south-1" {
		t.Errorf("Step Functions client region %q", got)
	}
	firstS3, secondS3 := c.S3(), c.S3()
	if firstS3 != secondS3 {
		t.Error("a second S3 client was built")
	}
	firstLogs, secondLogs := c.Logs("us-east-1"), c.Logs("us-east-1")
	if firstLogs != secondLogs || c.Logs("") != c.Logs("eu-west-1") || firstLogs == c.Logs("eu-west-1") {
		t.Error("CloudWatch Logs clients are not one per region")
	}
	if got := c.Logs("ap-south-1").Options().Region; got != "ap-south-1" {
		t.Errorf("CloudWatch Logs client region %q", got)
	}
}

func TestLogsEndpointOverride(t *testing.T) {
	c := New(aws.Config{Region: "eu-west-1"}, ClientOptions{LogsEndpoint: "http://127.0.0.1:9005"})
	if got := aws.ToString(c.Logs("").Options().BaseEndpoint); got != "http://127.0.0.1:9005" {
		t.Errorf("CloudWatch Logs endpoint %q, want the override", got)
	}
	if got := New(aws.Config{Region: "eu-west-1"}, ClientOptions{}).Logs("").Options().BaseEndpoint; got != nil {
		t.Errorf("CloudWatch Logs endpoint %q without an override, want AWS's", aws.ToString(got))
	}
}
