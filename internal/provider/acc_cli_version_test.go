package provider

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// cliVersion is the version of the CLI a test drives, to skip what it
// cannot do.
type cliVersion struct {
	name                string // "Terraform" or "OpenTofu"
	major, minor, patch int
}

func (v cliVersion) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

func (v cliVersion) atLeast(major, minor int) bool {
	return v.major > major || v.major == major && v.minor >= minor
}

// version asks the harness's CLI for its version.
func (h *cliHarness) version(t *testing.T) cliVersion {
	t.Helper()
	out, err := exec.Command(h.cli, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", h.cli, err)
	}
	var got struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%s version -json: %v\n%s", h.cli, err, out)
	}
	v := cliVersion{name: "Terraform"}
	if _, err := fmt.Sscanf(got.Version, "%d.%d.%d", &v.major, &v.minor, &v.patch); err != nil {
		t.Fatalf("%s reports version %q: %v", h.cli, got.Version, err)
	}
	if text, _ := exec.Command(h.cli, "version").Output(); strings.HasPrefix(string(text), "OpenTofu") {
		v.name = "OpenTofu"
	}
	return v
}
