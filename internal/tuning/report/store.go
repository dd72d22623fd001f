package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// briefRetries: reads outside a run (imports, the report data source) retry
// three times with the client's backoff: a plan should not hang for minutes
// on throttling a run would wait out.
func briefRetries(o *s3.Options) { o.Retryer = retry.AddWithMaxAttempts(o.Retryer, 3) }

// Report storage errors, for callers to tell apart.
var (
	ErrReportNotFound     = errors.New("report not found")
	ErrReportAccessDenied = errors.New("access to the report was denied")
	ErrNotAReport         = errors.New("object is not an awspowertuning report")
)

// getObject reads a whole S3 object.
func getObject(ctx context.Context, client awsapi.S3API, bucket, key string, optFns ...func(*s3.Options)) ([]byte, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key}, optFns...)
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

// forStorage is the report as stored: with disable_payload_logs or a
// write-only payload the payload, which other workspaces would read in
// plain text, is replaced by its hash.
func (r *Report) forStorage() *Report {
	if !r.Input.PayloadHidden() || r.Input.Payload == nil {
		return r
	}
	stored := *r
	stored.PayloadSHA256 = PayloadSHA256(*r.Input.Payload)
	stored.Input.Payload = nil
	return &stored
}

// PayloadSHA256 is the hex SHA-256 of a payload's text.
func PayloadSHA256(payload string) string {
	sum := sha256.Sum256([]byte(payload))
	return hex.EncodeToString(sum[:])
}

// WriteReport stores r as JSON at uri ("s3://bucket/key").
func WriteReport(ctx context.Context, client awsapi.S3API, uri string, r *Report) error {
	bucket, key, err := spec.ParseS3URI(uri)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(r.forStorage(), "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the report for %s: %w", uri, err)
	}
	return putObject(ctx, client, bucket, key, body, "application/json")
}

// WriteCheckSuffix names the probe object CheckReportWritable writes next
// to a report.
const WriteCheckSuffix = ".write-check"

// CheckReportWritable proves, before a billed run, that S3 takes a write
// next to the report at uri: it writes a small probe object (the report's key
// plus WriteCheckSuffix) and deletes it. The report's own key is not used, as
// a failed run would then leave a placeholder where a previous report was.
// left names the probe when it could not be deleted (no s3:DeleteObject):
// the run may go on, the caller says so.
func CheckReportWritable(ctx context.Context, client awsapi.S3API, uri string) (left string, err error) {
	bucket, key, err := spec.ParseS3URI(uri)
	if err != nil {
		return "", err
	}
	probe := key + WriteCheckSuffix
	if err := putObject(ctx, client, bucket, probe, []byte("awspowertuning: report write check\n"), "text/plain"); err != nil {
		return "", err
	}
	if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucket, Key: &probe}); err != nil {
		return "s3://" + bucket + "/" + probe, nil //nolint:nilerr // the report can be written: the caller warns of the probe left
	}
	return "", nil
}

// putObject stores body at bucket/key, telling access denied apart.
func putObject(ctx context.Context, client awsapi.S3API, bucket, key string, body []byte, contentType string) error {
	uri := "s3://" + bucket + "/" + key
	_, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:      &bucket,
		Key:         &key,
		Body:        bytes.NewReader(body),
		ContentType: aws.String(contentType),
	})
	switch {
	case err == nil:
		return nil
	case faults.IsAccessDenied(err):
		return fmt.Errorf("%w: writing %s: %w", ErrReportAccessDenied, uri, err)
	default:
		return fmt.Errorf("writing the report to %s: %w", uri, err)
	}
}

// ReadReport loads a report written by WriteReport, with short retries (it
// serves imports and the report data source).
func ReadReport(ctx context.Context, client awsapi.S3API, uri string) (*Report, error) {
	bucket, key, err := spec.ParseS3URI(uri)
	if err != nil {
		return nil, err
	}
	body, err := getObject(ctx, client, bucket, key, briefRetries)
	switch {
	case err == nil:
	case faults.IsNotFound(err):
		return nil, fmt.Errorf("%w: %s: %w", ErrReportNotFound, uri, err)
	case faults.IsAccessDenied(err):
		return nil, fmt.Errorf("%w: %s: %w", ErrReportAccessDenied, uri, err)
	default:
		return nil, fmt.Errorf("reading the report at %s: %w", uri, err)
	}
	var r Report
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrNotAReport, uri, err)
	}
	if r.Kind != Kind {
		return nil, fmt.Errorf("%w: %s has kind %q, want %q", ErrNotAReport, uri, r.Kind, Kind)
	}
	return &r, nil
}
