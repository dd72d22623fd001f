package tuning

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// A zip package above maxDirectZipBytes cannot be sent to CreateFunction
// inline: with copies_code_s3_uri the run stages it in S3 (only then),
// creates the copies from there and deletes the object at clean-up.

// stagingLocation splits copies_code_s3_uri ("s3://bucket" or
// "s3://bucket/prefix") into a bucket and a key prefix ("" or ending in "/").
func stagingLocation(uri string) (bucket, prefix string, err error) {
	bucket, prefix, err = splitS3URI(uri, "s3://bucket or s3://bucket/prefix")
	if err != nil {
		return "", "", err
	}
	if prefix = strings.Trim(prefix, "/"); prefix != "" {
		prefix += "/"
	}
	return bucket, prefix, nil
}

// stagedKey is deterministic for the run (the copy prefix and the run ID):
// two runs never share an object, and a left one names its run.
func (r *run) stagedKey(prefix string) string {
	return prefix + r.copyPrefix() + r.runID + ".zip"
}

// needsStaging says whether the package is too large to send inline.
func (src *copySource) needsStaging() bool {
	return src.image == "" && src.config.CodeSize > maxDirectZipBytes
}

// checkPackageSize refuses, before anything is created, a package too
// large to send inline when there is nowhere to stage it.
func (r *run) checkPackageSize(c types.FunctionConfiguration) error {
	if c.PackageType == types.PackageTypeImage || c.CodeSize <= maxDirectZipBytes || r.in.CopiesCodeS3URI != "" {
		return nil
	}
	return &StepError{Operation: "CreateFunction", Function: r.in.LambdaARN, Err: fmt.Errorf(
		"the function's zip package is %.1f MB, above the %d MB CreateFunction accepts inline: set copies_code_s3_uri to an S3 location "+
			"in the function's region to stage it through (s3://bucket/prefix), or use isolation = \"none\" (nothing was created or changed)",
		float64(c.CodeSize)/(1<<20), maxDirectZipBytes>>20)}
}

// stageCode puts the package in S3 when it is too large to send inline,
// and makes the copies' code point there.
func (r *run) stageCode(ctx context.Context) error {
	if !r.copySrc.needsStaging() {
		return nil
	}
	bucket, prefix, err := stagingLocation(r.in.CopiesCodeS3URI)
	if err != nil {
		return &StepError{Operation: "PutObject", Function: r.arn, Err: err}
	}
	key := r.stagedKey(prefix)
	uri := "s3://" + bucket + "/" + key
	r.ledger.stage(uri) // before the request: a put whose answer is lost may still have happened
	r.emit(Event{Phase: "configure", Message: fmt.Sprintf("staging the %.1f MB package in %s for the copies", float64(len(r.copySrc.zip))/(1<<20), uri)})
	_, err = r.e.cfg.Clients.S3().PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(r.copySrc.zip),
		ContentLength: aws.Int64(int64(len(r.copySrc.zip))),
	})
	if err != nil {
		return &StepError{Operation: "PutObject", Function: r.arn, Err: fmt.Errorf("staging the package of %s in %s (copies_code_s3_uri): %w", r.arn, uri, err)}
	}
	r.copySrc.s3Bucket, r.copySrc.s3Key = bucket, key
	return nil
}

// deleteStagedCode deletes the staged package, if the run put one; an
// object already gone counts as deleted.
func (r *run) deleteStagedCode(ctx context.Context) error {
	uri := r.ledger.stagedCode(false)
	if uri == "" {
		return nil
	}
	bucket, key, err := ParseS3URI(uri)
	if err != nil {
		return &StepError{Operation: "DeleteObject", Function: r.arn, Err: err}
	}
	_, err = r.e.cfg.Clients.S3().DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil && !isNotFound(err) {
		return &StepError{Operation: "DeleteObject", Function: r.arn, Err: fmt.Errorf("deleting the package staged for the copies, %s: %w", uri, err)}
	}
	r.ledger.stagedCode(true)
	return nil
}

// removeLeftoverStagedCode deletes packages that killed runs staged under
// copies_code_s3_uri for this function: keys with the function's copy
// prefix, of no live run, older than a lease (a live run creates its copies
// right after staging, and Lambda keeps its own copy of the code: the
// object serves only until then). It never fails the run: a package it
// cannot delete is a warning.
func (r *run) removeLeftoverStagedCode(ctx context.Context) {
	if r.in.CopiesCodeS3URI == "" {
		return
	}
	bucket, prefix, err := stagingLocation(r.in.CopiesCodeS3URI)
	if err != nil {
		return // validated before the run; staging reports it
	}
	keyPrefix := prefix + r.copyPrefix()
	pages := s3.NewListObjectsV2Paginator(r.e.cfg.Clients.S3(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(keyPrefix)})
	cutoff := r.s.clock.Now().Add(-r.s.leaseDuration)
	var left []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			// Optional (s3:ListBucket): said in the progress log only, or
			// every run of a user who did not grant it would warn.
			r.emit(Event{Phase: "resolve", Message: fmt.Sprintf("not looking for packages interrupted runs staged under s3://%s/%s: ListObjectsV2: %v",
				bucket, keyPrefix, err)})
			return
		}
		for _, o := range page.Contents {
			key := aws.ToString(o.Key)
			runID := strings.TrimSuffix(strings.TrimPrefix(key, keyPrefix), ".zip")
			if runID == r.runID || r.liveCopyRuns[runID] || o.LastModified == nil || o.LastModified.After(cutoff) {
				continue
			}
			uri := "s3://" + bucket + "/" + key
			r.emit(Event{Phase: "resolve", Message: fmt.Sprintf("deleting %s, a package an interrupted run staged for its copies", uri)})
			if _, err := r.e.cfg.Clients.S3().DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil && !isNotFound(err) {
				left = append(left, uri)
			}
		}
	}
	if len(left) > 0 {
		r.warn(fmt.Sprintf("Packages that interrupted runs staged for copies of %s could not be deleted (allow s3:DeleteObject on them, or delete them yourself): %s",
			r.arn, strings.Join(left, ", ")))
	}
}
