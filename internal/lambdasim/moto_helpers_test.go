package lambdasim

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// motoStartTimeout bounds moto_server's start-up (Python imports take a few
// seconds, more on a loaded machine).
const motoStartTimeout = 60 * time.Second

// startMoto runs moto_server (a third-party AWS implementation, see
// OFFLINE.md) on a port the system picks, until the test ends. The test is
// skipped when moto_server is not installed.
func startMoto(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		t.Skip("moto_server is not on PATH (pip install 'moto[server]'); the cross-check against moto is skipped")
	}
	out, in, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", "0")
	cmd.Stdout, cmd.Stderr = in, in
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting moto_server: %v", err)
	}
	_ = in.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = out.Close()
	})
	base := motoAddress(t, out)
	waitForMoto(t, base)
	return base
}

// motoAddress reads moto's output until it names the address it listens
// on ("Running on http://127.0.0.1:PORT"), then keeps draining the output
// (moto logs every request) so that moto never blocks on a full pipe.
func motoAddress(t *testing.T, output io.Reader) string {
	t.Helper()
	found := make(chan string, 1)
	var early strings.Builder // what moto said before listening, for the failure message
	go func() {
		scanner := bufio.NewScanner(output)
		for scanner.Scan() {
			if _, addr, ok := strings.Cut(scanner.Text(), "Running on "); ok {
				found <- strings.TrimSpace(addr)
				break
			}
			early.WriteString(scanner.Text() + "\n")
		}
		close(found)
		_, _ = io.Copy(io.Discard, output)
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			t.Fatalf("moto_server exited before listening:\n%s", early.String())
		}
		return addr
	case <-time.After(motoStartTimeout):
		t.Fatalf("moto_server did not listen within %v", motoStartTimeout)
		return ""
	}
}

// waitForMoto polls moto's own API until it answers, within a bound.
func waitForMoto(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(motoStartTimeout)
	for {
		resp, err := http.Get(base + "/moto-api/")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server at %s is not ready after %v: %v", base, motoStartTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// motoLambdaClient is a Lambda client for moto with the same settings as
// the emulator's test clients.
func motoLambdaClient(base string) *lambda.Client {
	return lambda.NewFromConfig(sdkConfig("us-east-1"), func(o *lambda.Options) {
		o.BaseEndpoint = aws.String(base)
	})
}

// createMotoRole creates an IAM role in moto and returns its ARN: moto's
// CreateFunction, like AWS's, refuses a role that does not exist. The
// module has no IAM client, so this is IAM's query protocol, SigV4-signed
// (moto picks the service from the signature's scope).
func createMotoRole(t *testing.T, base, name string) string {
	t.Helper()
	form := url.Values{
		"Action":                   {"CreateRole"},
		"Version":                  {"2010-05-08"},
		"RoleName":                 {name},
		"AssumeRolePolicyDocument": {`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`},
	}
	body := form.Encode()
	req, err := http.NewRequestWithContext(ctx(t), http.MethodPost, base+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "iam", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("IAM CreateRole: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct {
		Arn string `xml:"CreateRoleResult>Role>Arn"`
	}
	if resp.StatusCode != http.StatusOK || xml.Unmarshal(raw, &out) != nil || out.Arn == "" {
		t.Fatalf("IAM CreateRole: %s\n%s", resp.Status, raw)
	}
	return out.Arn
}

// zipPackage builds a deployment package holding one handler file.
func zipPackage(t *testing.T, name, source string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(source)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
