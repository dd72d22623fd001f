package spec

import "fmt"

// ParseS3Prefix splits "s3://bucket" or "s3://bucket/prefix" into a bucket
// and a key prefix taken as S3 takes it: literally, so "s3://b/runs" covers
// runs/… and runs-2026/… alike, and "s3://b/runs/" only runs/…. It is the
// grammar of the report_s3_prefix a list of runs searches.
func ParseS3Prefix(uri string) (bucket, prefix string, err error) {
	bucket, prefix, err = splitS3URI(uri, "s3://bucket or s3://bucket/prefix")
	switch {
	case err != nil:
		return "", "", err
	case len(prefix) > maxS3KeyBytes:
		return "", "", fmt.Errorf("the prefix of %q is %d bytes long: S3 keys are at most %d bytes", uri, len(prefix), maxS3KeyBytes)
	}
	return bucket, prefix, nil
}
