package spec

import "strings"

// partitionsByRegionPrefix maps the start of a Region's name to its ARN
// partition; every other Region is in "aws". Longer prefixes come first:
// us-isob- must not be read as us-iso-.
var partitionsByRegionPrefix = []struct{ prefix, partition string }{
	{"us-isob-", "aws-iso-b"},
	{"us-isof-", "aws-iso-f"},
	{"eu-isoe-", "aws-iso-e"},
	{"us-iso-", "aws-iso"},
	{"us-gov-", "aws-us-gov"},
	{"cn-", "aws-cn"},
	{"eusc-", "aws-eusc"},
}

// PartitionOf is the ARN partition of region ("aws" for an empty or
// commercial Region), as IAM policies and S3 ARNs must name it.
func PartitionOf(region string) string {
	for _, p := range partitionsByRegionPrefix {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return "aws"
}

// ARNPartition is the partition an ARN names ("aws" in arn:aws:…), or ""
// for something that is not an ARN.
func ARNPartition(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 || parts[0] != "arn" {
		return ""
	}
	return parts[1]
}
