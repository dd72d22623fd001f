package copies

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// A zip package above maxDirectZipBytes cannot be sent to CreateFunction
// inline: with copies_code_s3_uri the run stages it in S3 (only then),
// creates the copies from there and deletes the object at clean-up.

// stagedKey is deterministic for the run (the copy prefix and the run ID):
// two runs never share an object, and a left one names its run.
func (t *Target) stagedKey(prefix string) string {
	return prefix + t.prefix() + t.env.RunID + ".zip"
}

// needsStaging says whether the package is too large to send inline.
func (src *source) needsStaging() bool {
	return src.image == "" && src.config.CodeSize > maxDirectZipBytes
}

// checkPackageSize refuses, before anything is created, a package too
// large to send inline when there is nowhere to stage it.
func (t *Target) checkPackageSize(c types.FunctionConfiguration) error {
	if c.PackageType == types.PackageTypeImage || c.CodeSize <= maxDirectZipBytes || t.env.Input.CopiesCodeS3URI != "" {
		return nil
	}
	return &faults.StepError{Operation: "CreateFunction", Function: t.env.Input.LambdaARN, Err: fmt.Errorf(
		"the function's zip package is %.1f MB, above the %d MB CreateFunction accepts inline: set copies_code_s3_uri to an S3 location "+
			"in the function's region to stage it through (s3://bucket/prefix), or use isolation = \"none\" (nothing was created or changed)",
		float64(c.CodeSize)/(1<<20), maxDirectZipBytes>>20)}
}

// stageCode puts the package in S3 when it is too large to send inline,
// and makes the copies' code point there.
func (t *Target) stageCode(ctx context.Context) error {
	if !t.src.needsStaging() {
		return nil
	}
	bucket, prefix, err := spec.ParseS3Location(t.env.Input.CopiesCodeS3URI)
	if err != nil {
		return &faults.StepError{Operation: "PutObject", Function: t.fn.ARN(), Err: err}
	}
	key := t.stagedKey(prefix)
	uri := "s3://" + bucket + "/" + key
	t.fn.Ledger().Stage(uri) // before the request: a put whose answer is lost may still have happened
	t.fn.Events().Note(0, "staging the %.1f MB package in %s for the copies", float64(len(t.src.zip))/(1<<20), uri)
	_, err = t.env.Clients.S3().PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(t.src.zip),
		ContentLength: aws.Int64(int64(len(t.src.zip))),
	})
	if err != nil {
		return &faults.StepError{Operation: "PutObject", Function: t.fn.ARN(), Err: fmt.Errorf("staging the package of %s in %s (copies_code_s3_uri): %w", t.fn.ARN(), uri, err)}
	}
	t.src.s3Bucket, t.src.s3Key = bucket, key
	return nil
}

// deleteStagedCode deletes the staged package, if the run put one; an
// object already gone counts as deleted.
func (t *Target) deleteStagedCode(ctx context.Context) error {
	uri := t.fn.Ledger().StagedCode(false)
	if uri == "" {
		return nil
	}
	bucket, key, err := spec.ParseS3URI(uri)
	if err != nil {
		return &faults.StepError{Operation: "DeleteObject", Function: t.fn.ARN(), Err: err}
	}
	_, err = t.env.Clients.S3().DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil && !faults.IsNotFound(err) {
		return &faults.StepError{Operation: "DeleteObject", Function: t.fn.ARN(), Err: fmt.Errorf("deleting the package staged for the copies, %s: %w", uri, err)}
	}
	t.fn.Ledger().StagedCode(true)
	return nil
}

// removeLeftoverStagedCode deletes packages that killed runs staged under
// copies_code_s3_uri for this function: keys with the function's copy
// prefix, of no live run, older than a lease (a live run creates its copies
// right after staging, and Lambda keeps its own copy of the code: the
// object serves only until then). It never fails the run: a package it
// cannot delete is a warning.
func (t *Target) removeLeftoverStagedCode(ctx context.Context) {
	if t.env.Input.CopiesCodeS3URI == "" {
		return
	}
	bucket, prefix, err := spec.ParseS3Location(t.env.Input.CopiesCodeS3URI)
	if err != nil {
		return // validated before the run; staging reports it
	}
	keyPrefix := prefix + t.prefix()
	pages := s3.NewListObjectsV2Paginator(t.env.Clients.S3(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(keyPrefix)})
	cutoff := t.fn.Waiter().Clock.Now().Add(-t.env.Lease)
	var left []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			// Optional (s3:ListBucket): said in the progress log only, or
			// every run of a user who did not grant it would warn.
			t.fn.Events().Note(0, "not looking for packages interrupted runs staged under s3://%s/%s: ListObjectsV2: %v",
				bucket, keyPrefix, err)
			return
		}
		for _, o := range page.Contents {
			key := aws.ToString(o.Key)
			runID := strings.TrimSuffix(strings.TrimPrefix(key, keyPrefix), ".zip")
			if runID == t.env.RunID || t.liveRuns[runID] || o.LastModified == nil || o.LastModified.After(cutoff) {
				continue
			}
			uri := "s3://" + bucket + "/" + key
			t.fn.Events().Note(0, "deleting %s, a package an interrupted run staged for its copies", uri)
			if _, err := t.env.Clients.S3().DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil && !faults.IsNotFound(err) {
				left = append(left, uri)
			} else {
				t.stagedDeleted = append(t.stagedDeleted, uri)
			}
		}
	}
	if len(left) > 0 {
		t.env.Warn(fmt.Sprintf("Packages that interrupted runs staged for copies of %s could not be deleted (allow s3:DeleteObject on them, or delete them yourself): %s",
			t.fn.ARN(), strings.Join(left, ", ")))
	}
}
