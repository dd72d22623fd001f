package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
)

// smallPages asks S3 for two keys a page, so that a handful of objects
// spans several pages, and counts the pages asked for.
type smallPages struct {
	awsapi.S3API
	pages int
}

func (p *smallPages) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	p.pages++
	in.MaxKeys = aws.Int32(2)
	return p.S3API.ListObjectsV2(ctx, in, optFns...)
}

func listedReport(function string, at time.Time) *Report {
	return &Report{Kind: Kind, FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:" + function, OptimalPower: 512, TunedAt: at}
}

func TestListReports_readsEveryPageAndSkipsWhatIsNotAReport(t *testing.T) {
	env := startS3(t)
	ctx := context.Background()
	client := &smallPages{S3API: env.clients.S3()}
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for i, function := range []string{"orders", "payments", "search"} {
		if err := WriteReport(ctx, client, fmt.Sprintf("s3://reports/runs/%s.json", function), listedReport(function, at.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	// What else a bucket holds: JSON of another kind, JSON without one, text,
	// a folder marker, something too large, and a report outside the prefix.
	env.sim.PutObject("reports", "runs/a-state-file.json", []byte(`{"kind":"terraform-state/v4","version":4}`))
	env.sim.PutObject("reports", "runs/config.json", []byte(`{"memory":1024}`))
	env.sim.PutObject("reports", "runs/notes.txt", []byte("not JSON at all"))
	env.sim.PutObject("reports", "runs/", nil)
	env.sim.PutObject("reports", "runs/package.zip", bytes.Repeat([]byte{'P'}, MaxListedReportBytes+1))
	if err := WriteReport(ctx, client, "s3://reports/elsewhere/orders.json", listedReport("orders", at)); err != nil {
		t.Fatal(err)
	}

	var skipped []string
	var found []string
	for stored, err := range ListReports(ctx, client, "s3://reports/runs/", func(uri string, why error) {
		if !errors.Is(why, ErrNotAReport) {
			t.Errorf("%s skipped for %v, want ErrNotAReport", uri, why)
		}
		skipped = append(skipped, uri)
	}) {
		if err != nil {
			t.Fatal(err)
		}
		if want := "arn:aws:lambda:us-east-1:123456789012:function:"; stored.Report.FunctionARN[:len(want)] != want {
			t.Errorf("%s holds function %s", stored.URI, stored.Report.FunctionARN)
		}
		found = append(found, stored.URI)
	}
	wantFound := []string{"s3://reports/runs/orders.json", "s3://reports/runs/payments.json", "s3://reports/runs/search.json"}
	if !slices.Equal(found, wantFound) {
		t.Errorf("found %q, want %q", found, wantFound)
	}
	wantSkipped := []string{"s3://reports/runs/", "s3://reports/runs/a-state-file.json", "s3://reports/runs/config.json",
		"s3://reports/runs/notes.txt", "s3://reports/runs/package.zip"}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("skipped %q, want %q", skipped, wantSkipped)
	}
	// 8 objects under the prefix, two a page: four pages.
	if client.pages != 4 {
		t.Errorf("asked for %d pages, want 4", client.pages)
	}
}

func TestListReports_stopsWhenTheCallerDoes(t *testing.T) {
	env := startS3(t)
	ctx := context.Background()
	client := &smallPages{S3API: env.clients.S3()}
	for _, function := range []string{"a", "b", "c", "d", "e"} {
		if err := WriteReport(ctx, client, "s3://reports/"+function+".json", listedReport(function, time.Unix(0, 0))); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	for _, err := range ListReports(ctx, client, "s3://reports", nil) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 2 {
			break
		}
	}
	if client.pages != 1 {
		t.Errorf("asked for %d pages after taking two reports of the first page, want 1", client.pages)
	}
}

func TestListReports_errors(t *testing.T) {
	env := startS3(t)
	ctx := context.Background()
	env.sim.PutObject("denied", "runs/x.json", []byte("{}"))
	env.sim.DenyS3("denied")
	tests := []struct {
		name, uri string
		want      error
		says      string
	}{
		{name: "invalid prefix", uri: "reports/runs", says: "must have the form s3://bucket or s3://bucket/prefix"},
		{name: "no such bucket", uri: "s3://missing/runs/", says: "NoSuchBucket"},
		{name: "access denied", uri: "s3://denied/runs/", want: ErrListAccessDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs []error
			for stored, err := range ListReports(ctx, env.clients.S3(), tt.uri, nil) {
				if err == nil {
					t.Fatalf("found %s, want an error", stored.URI)
				}
				errs = append(errs, err)
			}
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want one: %v", len(errs), errs)
			}
			if tt.want != nil && !errors.Is(errs[0], tt.want) {
				t.Errorf("error %v, want %v", errs[0], tt.want)
			}
			if tt.says != "" && !bytes.Contains([]byte(errs[0].Error()), []byte(tt.says)) {
				t.Errorf("error %q does not say %q", errs[0], tt.says)
			}
		})
	}
}
