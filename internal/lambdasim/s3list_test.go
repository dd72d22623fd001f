package lambdasim

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim/mototest"
)

// listAll pages through ListObjectsV2 two keys at a time.
func listAll(t *testing.T, c *s3.Client, bucket, prefix string) (keys []string, pages int) {
	t.Helper()
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix), MaxKeys: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatalf("ListObjectsV2: %v", err)
		}
		pages++
		for _, o := range page.Contents {
			if o.LastModified == nil || aws.ToInt64(o.Size) == 0 {
				t.Errorf("%s listed without its time or size", aws.ToString(o.Key))
			}
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys, pages
}

// moto_server and the emulator list the same keys, in pages, and both
// refuse a bucket that does not exist.
func TestS3ListObjectsV2LikeMoto(t *testing.T) {
	motoClient := s3.NewFromConfig(sdkConfig("us-east-1"), func(o *s3.Options) {
		o.BaseEndpoint, o.UsePathStyle = aws.String(mototest.Start(t)), true
	})
	clients := map[string]*s3.Client{"moto": motoClient, "emulator": s3Client(startServer(t, Options{}))}
	for name, c := range clients {
		t.Run(name, func(t *testing.T) {
			if _, err := c.CreateBucket(ctx(t), &s3.CreateBucketInput{Bucket: aws.String("staging")}); err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{"p/c", "p/a", "p/b", "other/x", "p/d", "p/e"} {
				if _, err := c.PutObject(ctx(t), &s3.PutObjectInput{Bucket: aws.String("staging"), Key: aws.String(key),
					Body: strings.NewReader("data of " + key)}); err != nil {
					t.Fatal(err)
				}
			}
			keys, pages := listAll(t, c, "staging", "p/")
			if want := []string{"p/a", "p/b", "p/c", "p/d", "p/e"}; !slices.Equal(keys, want) || pages != 3 {
				t.Errorf("listed %v in %d pages, want %v in 3", keys, pages, want)
			}
			_, err := c.ListObjectsV2(ctx(t), &s3.ListObjectsV2Input{Bucket: aws.String("missing")})
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "NoSuchBucket" {
				t.Errorf("listing a missing bucket: %v, want NoSuchBucket", err)
			}
		})
	}
}
