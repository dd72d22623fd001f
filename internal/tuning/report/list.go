package report

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// MaxListedReportBytes is the largest object ListReports reads: a report
// is tens of kilobytes, so a larger object is something else (a package, a
// log) and is skipped unread.
const MaxListedReportBytes = 8 << 20

// ErrListAccessDenied is returned when S3 refuses to list a prefix.
var ErrListAccessDenied = errors.New("listing the reports was denied")

// ObjectError is an object under the prefix that could not be read, for
// a reason other than not being a report.
type ObjectError struct {
	URI string
	Err error
}

func (e *ObjectError) Error() string { return e.Err.Error() }
func (e *ObjectError) Unwrap() error { return e.Err }

// Stored is a report found under a prefix, and where.
type Stored struct {
	URI    string
	Report *Report
}

// ListReports yields the reports stored under prefixURI ("s3://bucket" or
// "s3://bucket/prefix", the prefix taken literally), in key order, page by
// page. Objects that are not reports (other JSON, other kinds, anything too
// large) and objects deleted between the listing and the read are skipped:
// skipped, when not nil, is told of each with the reason. Any other error
// ends the sequence, yielded with an empty Stored: an *ObjectError when
// an object could not be read.
func ListReports(ctx context.Context, client awsapi.S3API, prefixURI string, skipped func(uri string, why error)) iter.Seq2[Stored, error] {
	return func(yield func(Stored, error) bool) {
		bucket, prefix, err := spec.ParseS3Prefix(prefixURI)
		if err != nil {
			yield(Stored{}, err)
			return
		}
		skip := func(uri string, why error) {
			if skipped != nil {
				skipped(uri, why)
			}
		}
		pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: aws.String(prefix)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx, briefRetries)
			switch {
			case err == nil:
			case faults.IsAccessDenied(err):
				yield(Stored{}, fmt.Errorf("%w: s3://%s/%s: %w", ErrListAccessDenied, bucket, prefix, err))
				return
			default:
				yield(Stored{}, fmt.Errorf("listing s3://%s/%s: %w", bucket, prefix, err))
				return
			}
			for _, object := range page.Contents {
				uri := "s3://" + bucket + "/" + aws.ToString(object.Key)
				if size := aws.ToInt64(object.Size); size > MaxListedReportBytes {
					skip(uri, fmt.Errorf("%w: %d bytes, more than a report's %d", ErrNotAReport, size, MaxListedReportBytes))
					continue
				}
				r, err := ReadReport(ctx, client, uri)
				switch {
				case err == nil:
				case errors.Is(err, ErrNotAReport), errors.Is(err, ErrReportNotFound):
					skip(uri, err)
					continue
				default:
					yield(Stored{}, &ObjectError{URI: uri, Err: err})
					return
				}
				if !yield(Stored{URI: uri, Report: r}, nil) {
					return
				}
			}
		}
	}
}
