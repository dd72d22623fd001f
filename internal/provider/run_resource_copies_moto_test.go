package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim/mototest"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
)

// motoCodeProxy is moto_server behind a pass-through proxy that makes
// GetFunction's Code.Location fetchable, and that remembers every Lambda
// request it forwards. moto 5.2.1 answers a Code.Location of
// https://awslambda-<region>-tasks.s3.<region>.amazonaws.com/<S3Key>, a host
// that does not exist (offline it does not resolve; AWS answers a presigned
// URL of the stored package instead). The proxy answers a presigned URL of
// the object in moto's own S3 that the function was created from, as AWS
// would; every other byte is moto's.
type motoCodeProxy struct {
	url     string
	presign func(key string) (string, error) // a GET URL of the package at key in moto's S3
	rewrite atomic.Bool                      // whether to rewrite Code.Location

	mu       sync.Mutex
	requests []string // "METHOD path", in arrival order
}

func newMotoCodeProxy(t *testing.T, moto string, presign func(key string) (string, error)) *motoCodeProxy {
	t.Helper()
	target, err := url.Parse(moto)
	if err != nil {
		t.Fatal(err)
	}
	p := &motoCodeProxy{presign: presign}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = p.rewriteCodeLocation
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.requests = append(p.requests, r.Method+" "+r.URL.Path)
		p.mu.Unlock()
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

// getFunctionPath is GetFunction's path: /2015-03-31/functions/<name>.
var getFunctionPath = regexp.MustCompile(`^/2015-03-31/functions/[^/]+/?$`)

func (p *motoCodeProxy) rewriteCodeLocation(resp *http.Response) error {
	if !p.rewrite.Load() || resp.Request.Method != http.MethodGet || !getFunctionPath.MatchString(resp.Request.URL.Path) || resp.StatusCode != http.StatusOK {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return err
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		return err
	}
	if code, ok := out["Code"].(map[string]any); ok {
		if loc, ok := code["Location"].(string); ok {
			if u, err := url.Parse(loc); err == nil && strings.HasPrefix(u.Host, "awslambda-") {
				if code["Location"], err = p.presign(strings.TrimPrefix(u.Path, "/")); err != nil {
					return err
				}
				if body, err = json.Marshal(out); err != nil {
					return err
				}
			}
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}

// to counts the requests of method to functions whose name starts with
// function (/2015-03-31/functions/<name>…: invocations are POSTs,
// deletions DELETEs).
func (p *motoCodeProxy) to(function, method string) int {
	return p.count(func(m, path string) bool {
		return m == method && strings.Contains(path, "/functions/"+function)
	})
}

// changes counts the requests that change or invoke the function named
// name (any method but GET), whether the path names it or its ARN (tags).
func (p *motoCodeProxy) changes(name string) int {
	return p.count(func(m, path string) bool {
		return m != http.MethodGet && (strings.Contains(path, "/functions/"+name) || strings.Contains(path, ":function:"+name))
	})
}

func (p *motoCodeProxy) count(match func(method, path string) bool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, r := range p.requests {
		if m, path, _ := strings.Cut(r, " "); match(m, path) {
			n++
		}
	}
	return n
}

// created counts CreateFunction requests.
func (p *motoCodeProxy) created() int {
	return p.count(func(m, path string) bool {
		return m == http.MethodPost && strings.TrimSuffix(path, "/") == "/2015-03-31/functions"
	})
}

// A dry run with copies against moto_server: the copies are created in
// moto from the function's own package, invoked once each and deleted,
// and moto is left with only the original function, which got no call
// that changes or invokes it.
func TestAccRun_copiesMotoDryRun(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1 (see GNUmakefile: make testacc)")
	}
	ctx := context.Background()
	base := mototest.Start(t)
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	client := lambda.New(lambda.Options{Region: accRegion, BaseEndpoint: aws.String(base), Credentials: creds})
	s3c := s3.New(s3.Options{Region: accRegion, BaseEndpoint: aws.String(base), Credentials: creds, UsePathStyle: true})
	const bucket, key = "packages", "moto-copied.zip"
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("CreateBucket in moto: %v", err)
	}
	pkg := mototest.ZipPackage(t, "index.py", "def handler(event, context):\n    return event\n")
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(pkg)}); err != nil {
		t.Fatalf("PutObject in moto: %v", err)
	}
	created, err := client.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("moto-copied"), Role: aws.String(mototest.CreateRole(t, base, "tuning-role")),
		Runtime: types.RuntimePython312, Handler: aws.String("index.handler"), MemorySize: aws.Int32(accMemory),
		Code: &types.FunctionCode{S3Bucket: aws.String(bucket), S3Key: aws.String(key)},
	})
	if err != nil {
		t.Fatalf("CreateFunction in moto: %v", err)
	}
	arn := aws.ToString(created.FunctionArn)
	proxy := newMotoCodeProxy(t, base, func(key string) (string, error) {
		req, err := s3.NewPresignClient(s3c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			return "", err
		}
		return req.URL, nil
	})

	config := func() string {
		return endpointProviderConfig(proxy.url, accBudgets, "") + fmt.Sprintf(`
resource "awspowertuning_run" "test" {
  lambda_arn               = %q
  power_values             = [256, 512]
  num                      = 1
  dry_run                  = true
  isolation                = "copies"
  skip_failed_power_values = true
}
`, arn)
	}
	onlyTheFunction := func(*terraform.State) error {
		out, err := client.ListFunctions(ctx, &lambda.ListFunctionsInput{})
		if err != nil {
			return err
		}
		var names []string
		for _, f := range out.Functions {
			names = append(names, aws.ToString(f.FunctionName))
		}
		if !slices.Equal(names, []string{"moto-copied"}) {
			return fmt.Errorf("moto holds %v after the run, want only moto-copied", names)
		}
		if cfg, err := client.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(arn)}); err != nil {
			return err
		} else if got := aws.ToInt32(cfg.MemorySize); got != accMemory {
			return fmt.Errorf("moto-copied has %d MB after the run, want %d MB", got, accMemory)
		}
		return nil
	}
	copiesWentThroughMoto := func(*terraform.State) error {
		prefix := copies.NamePrefix(arn)
		if n := proxy.created(); n != 2 {
			return fmt.Errorf("%d CreateFunction requests reached moto, want a copy per power value (2)", n)
		}
		if n := proxy.to(prefix, http.MethodDelete); n != 2 {
			return fmt.Errorf("%d DeleteFunction requests for copies reached moto, want 2", n)
		}
		if n := proxy.to(prefix, http.MethodPost); n != 2 {
			return fmt.Errorf("%d invocations of copies reached moto, want one per copy in a dry run (2)", n)
		}
		if n := proxy.changes("moto-copied"); n != 0 {
			return fmt.Errorf("moto-copied received %d requests that change or invoke it", n)
		}
		return nil
	}
	// moto without Docker answers every invocation with the header-only
	// error "Handled" and no log tail: each row is a failed dry-run row.
	failedRow := func(power int64) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{"power": knownvalue.Int64Exact(power), "failed": knownvalue.Bool(true)})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// moto's own Code.Location cannot be downloaded: the run
				// says so, and creates nothing.
				Config:      config(),
				ExpectError: regexp.MustCompile(`(?s)Code\.Location.*nothing was created or changed`),
			},
			{
				PreConfig: func() {
					if n := proxy.created(); n != 0 {
						t.Errorf("the run that could not download the package sent %d CreateFunction requests", n)
					}
					proxy.rewrite.Store(true)
				},
				Config: config(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), knownvalue.ListExact([]knownvalue.Check{failedRow(256), failedRow(512)})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(onlyTheFunction, copiesWentThroughMoto),
			},
		},
	})
	if err := onlyTheFunction(nil); err != nil {
		t.Error(err)
	}
}
