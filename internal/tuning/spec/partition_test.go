package spec_test

import (
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func TestEveryPartitionsFunctionARNIsAccepted(t *testing.T) {
	for _, c := range []struct{ region, partition string }{
		{"us-east-1", "aws"}, {"ap-southeast-5", "aws"}, {"cn-northwest-1", "aws-cn"}, {"us-gov-west-1", "aws-us-gov"},
		{"eusc-de-east-1", "aws-eusc"}, {"us-iso-east-1", "aws-iso"}, {"us-isob-east-1", "aws-iso-b"},
		{"eu-isoe-west-1", "aws-iso-e"}, {"us-isof-south-1", "aws-iso-f"},
	} {
		if got := spec.PartitionOf(c.region); got != c.partition {
			t.Errorf("PartitionOf(%s) = %s, want %s", c.region, got, c.partition)
		}
		arn := "arn:" + c.partition + ":lambda:" + c.region + ":123456789012:function:fn:live"
		region, name, isARN := spec.ParseFunctionARN(arn)
		if region != c.region || name != "fn" || !isARN || spec.ARNPartition(arn) != c.partition {
			t.Errorf("ParseFunctionARN(%s) = %s, %s, %v; partition %s", arn, region, name, isARN, spec.ARNPartition(arn))
		}
		if err := (spec.Input{LambdaARN: spec.WithoutQualifier(arn), Num: 10}).Validate(); err != nil {
			t.Errorf("Validate(%s) = %v", arn, err)
		}
	}
	if err := (spec.Input{LambdaARN: "arn:aws:lambda:cn-north-1:123456789012:function:fn", Num: 10}).Validate(); err == nil {
		t.Error("a China Region in the aws partition is accepted")
	}
	for _, bad := range []string{"arn:aws-mars:lambda:us-east-1:123456789012:function:fn", "arn:aws-iso-bb:lambda:us-isob-east-1:123456789012:function:fn"} {
		if spec.IsFunctionARN(bad) {
			t.Errorf("%s is accepted as a function ARN", bad)
		}
	}
}
