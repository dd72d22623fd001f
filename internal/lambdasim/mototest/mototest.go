// Package mototest starts moto_server, a third-party AWS implementation, so
// tests can check our code against an implementation we did not write.
package mototest

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// StartTimeout bounds moto_server's start-up (Python imports take a few
// seconds, more on a loaded machine).
const StartTimeout = 60 * time.Second

// Start runs moto_server on a port the system picks until the test ends and
// returns its URL. The test is skipped when moto_server is not installed.
func Start(t testing.TB) string {
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
	base := address(t, out)
	waitReady(t, base)
	return base
}

// address reads moto's output until it names the address it listens on
// ("Running on http://127.0.0.1:PORT"), then keeps draining the output
// (moto logs every request) so that moto never blocks on a full pipe.
func address(t testing.TB, output io.Reader) string {
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
	case <-time.After(StartTimeout):
		t.Fatalf("moto_server did not listen within %v", StartTimeout)
		return ""
	}
}

// waitReady polls moto's own API until it answers, within a bound.
func waitReady(t testing.TB, base string) {
	t.Helper()
	deadline := time.Now().Add(StartTimeout)
	for {
		resp, err := http.Get(base + "/moto-api/")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server at %s is not ready after %v: %v", base, StartTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
