package lambdasim

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

func TestS3PutAndGetThroughTheSDK(t *testing.T) {
	s := startServer(t, Options{})
	c := s3Client(s)
	body := []byte(`{"payload":"from s3"}`)
	if _, err := c.PutObject(ctx(t), &s3.PutObjectInput{Bucket: aws.String("payloads"), Key: aws.String("dir/input.json"), Body: bytes.NewReader(body)}); err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	out, err := c.GetObject(ctx(t), &s3.GetObjectInput{Bucket: aws.String("payloads"), Key: aws.String("dir/input.json")})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	got, _ := io.ReadAll(out.Body)
	_ = out.Body.Close()
	if !bytes.Equal(got, body) {
		t.Errorf("GetObject body = %s", got)
	}

	// Objects stored from Go are served the same way.
	s.PutObject("payloads", "seeded key.json", []byte(`[1,2]`))
	out, err = c.GetObject(ctx(t), &s3.GetObjectInput{Bucket: aws.String("payloads"), Key: aws.String("seeded key.json")})
	if err != nil {
		t.Fatalf("GetObject of a seeded object: %v", err)
	}
	got, _ = io.ReadAll(out.Body)
	_ = out.Body.Close()
	if string(got) != "[1,2]" {
		t.Errorf("seeded body = %s", got)
	}
	if _, err := c.HeadObject(ctx(t), &s3.HeadObjectInput{Bucket: aws.String("payloads"), Key: aws.String("seeded key.json")}); err != nil {
		t.Errorf("HeadObject: %v", err)
	}
}

func TestS3Errors(t *testing.T) {
	s := startServer(t, Options{})
	s.PutObject("payloads", "present", []byte("x"))
	s.PutObject("secret", "key", []byte("x"))
	s.DenyS3("secret")
	c := s3Client(s)

	_, err := c.GetObject(ctx(t), &s3.GetObjectInput{Bucket: aws.String("payloads"), Key: aws.String("absent")})
	var noKey *types.NoSuchKey
	if !errors.As(err, &noKey) {
		t.Errorf("missing key: want *types.NoSuchKey, got %T %v", err, err)
	}
	_, err = c.GetObject(ctx(t), &s3.GetObjectInput{Bucket: aws.String("nobucket"), Key: aws.String("k")})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "NoSuchBucket" {
		t.Errorf("missing bucket: want NoSuchBucket, got %v", err)
	}
	_, err = c.GetObject(ctx(t), &s3.GetObjectInput{Bucket: aws.String("secret"), Key: aws.String("key")})
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" {
		t.Errorf("denied bucket: want AccessDenied, got %v", err)
	}
	_, err = c.PutObject(ctx(t), &s3.PutObjectInput{Bucket: aws.String("secret"), Key: aws.String("new"), Body: strings.NewReader("x")})
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" {
		t.Errorf("PutObject to a denied bucket: want AccessDenied, got %v", err)
	}
}

func TestS3ErrorBodyIsS3XML(t *testing.T) {
	s := startServer(t, Options{})
	s.PutObject("payloads", "present", []byte("x"))
	resp, err := http.Get(s.URL() + "/payloads/absent")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 404 || !strings.Contains(string(body), "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

func TestCreateFunctionFromS3Code(t *testing.T) {
	s := startServer(t, Options{})
	pkg := testZip("from S3")
	s.PutObject("code", "fn.zip", pkg)
	c := lambdaClient(s, "us-east-1")
	in := createInput("from-s3")
	in.Code = &lambdatypes.FunctionCode{S3Bucket: aws.String("code"), S3Key: aws.String("fn.zip")}
	out, err := c.CreateFunction(ctx(t), in)
	if err != nil {
		t.Fatalf("CreateFunction from S3: %v", err)
	}
	if out.CodeSize != int64(len(pkg)) || aws.ToString(out.CodeSha256) != codeSha256(pkg) {
		t.Errorf("code from S3: size %d sha %s", out.CodeSize, aws.ToString(out.CodeSha256))
	}
	in = createInput("missing-code")
	in.Code = &lambdatypes.FunctionCode{S3Bucket: aws.String("code"), S3Key: aws.String("nope.zip")}
	_, err = c.CreateFunction(ctx(t), in)
	wantAPIError(t, err, 400, "InvalidParameterValueException", "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.")
}
