package tuningtest

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Chromium is the headless browser a test renders a page with. It skips
// the test when Chromium is not installed, except in CI (CI=true), where a
// missing browser must fail rather than silently skip.
func Chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		} else if !errors.Is(err, exec.ErrNotFound) {
			t.Logf("%s: %v", name, err)
		}
	}
	msg := "chromium is not installed (apt-get install -y chromium; .ci/run installs it)"
	if strings.EqualFold(os.Getenv("CI"), "true") {
		t.Fatal(msg + ": CI=true, so the browser test must run")
	}
	t.Skip(msg + "; skipping the browser test (it fails instead when CI=true)")
	return ""
}
