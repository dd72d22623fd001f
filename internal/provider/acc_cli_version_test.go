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

func (v cliVersion) String() string {
	return fmt.Sprintf("%s %d.%d.%d", v.name, v.major, v.minor, v.patch)
}

// atLeast1 reports whether the CLI is release 1.minor or later.
func (v cliVersion) atLeast1(minor int) bool {
	return v.major > 1 || v.major == 1 && v.minor >= minor
}

// isTerraform reports whether the CLI is HashiCorp's Terraform.
func (v cliVersion) isTerraform() bool { return v.name == "Terraform" }

// version asks the harness's CLI for its version.
func (h *cliHarness) version(t *testing.T) cliVersion { t.Helper(); return versionOf(t, h.cli) }

// versionOf asks the CLI at path cli for its version.
func versionOf(t *testing.T, cli string) cliVersion {
	t.Helper()
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	var got struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%s version -json: %v\n%s", cli, err, out)
	}
	v := cliVersion{name: "Terraform"}
	if _, err := fmt.Sscanf(got.Version, "%d.%d.%d", &v.major, &v.minor, &v.patch); err != nil {
		t.Fatalf("%s reports version %q: %v", cli, got.Version, err)
	}
	if text, _ := exec.Command(cli, "version").Output(); strings.HasPrefix(string(text), "OpenTofu") {
		v.name = "OpenTofu"
	}
	return v
}
