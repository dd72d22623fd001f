package provider

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// expectDiscardMaxEnv tells TestDiscardTopBottomPlanLimitFollowsTheSpec
// which discard_top_bottom limit the package was compiled with: the test
// sets it when it compiles the package again against a changed
// specification.
const expectDiscardMaxEnv = "AWSPOWERTUNING_EXPECT_DISCARD_MAX"

// discardLimitDeclaration is MaxDiscardTopBottom's declaration in
// internal/tuning/spec/limits.go; group 1 is all but its value.
var discardLimitDeclaration = regexp.MustCompile(`(?m)^(\s*MaxDiscardTopBottom\s*=\s*)[0-9.]+\s*$`)

// Changing a limit in the specification changes the plan-time error without
// touching the provider: the package is compiled again with
// MaxDiscardTopBottom changed (go test -overlay), and the plan refuses
// discard_top_bottom beyond the new limit only.
func TestDiscardTopBottomPlanLimitFollowsTheSpec(t *testing.T) {
	limit := spec.MaxDiscardTopBottom
	compiledAgainstChange := os.Getenv(expectDiscardMaxEnv) != ""
	if compiledAgainstChange {
		want, err := strconv.ParseFloat(os.Getenv(expectDiscardMaxEnv), 64)
		if err != nil {
			t.Fatalf("%s: %v", expectDiscardMaxEnv, err)
		}
		if limit != want {
			t.Fatalf("compiled with MaxDiscardTopBottom = %g, want %g: the changed specification was not compiled in", limit, want)
		}
	}
	t.Logf("discard_top_bottom limit: %g", limit)

	t.Run("the plan refuses what lies beyond the specification's limit", func(t *testing.T) {
		beyond := math.Round((limit+0.01)*1e6) / 1e6 // 0.41, not 0.41000000000000003
		for _, value := range []float64{0.25, 0.35, limit, beyond} {
			checkDiscardPlan(t, value, limit)
		}
	})
	if compiledAgainstChange {
		return
	}

	t.Run("a changed specification changes the plan error", func(t *testing.T) {
		if testing.Short() {
			t.Skip("compiles the package again against a changed specification")
		}
		changed := 0.3
		if changed == limit {
			changed = 0.35
		}
		out := testAgainstChangedSpec(t, changed)
		for line := range strings.Lines(out) {
			if strings.Contains(line, "discard_top_bottom") {
				t.Logf("with MaxDiscardTopBottom = %g: %s", changed, strings.TrimSpace(line))
			}
		}
		for _, want := range []string{
			"--- PASS: TestDiscardTopBottomPlanLimitFollowsTheSpec",
			fmt.Sprintf("discard_top_bottom limit: %g", changed),
			"discard_top_bottom = 0.25: accepted",
			"discard_top_bottom = 0.35: refused",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the run against MaxDiscardTopBottom = %g does not show %q:\n%s", changed, want, out)
			}
		}
	})
}

// checkDiscardPlan validates a run with discard_top_bottom = value as a plan
// does (schema validators and ValidateConfig) and checks that it is refused,
// naming the attribute and the limit, exactly when value exceeds limit.
func checkDiscardPlan(t *testing.T, value, limit float64) {
	t.Helper()
	errs := errorDiagnostics(validateRun(t, validRun(map[string]tftypes.Value{spec.AttrDiscardTopBottom: num(value)})))
	if value <= limit {
		if len(errs) > 0 {
			t.Errorf("discard_top_bottom = %g is within the limit %g, yet refused:%s", value, limit, describeDiagnostics(errs))
			return
		}
		t.Logf("discard_top_bottom = %g: accepted", value)
		return
	}
	if len(errs) != 1 {
		t.Errorf("discard_top_bottom = %g is beyond the limit %g: want one error, got %d:%s", value, limit, len(errs), describeDiagnostics(errs))
		return
	}
	got := errs[0]
	if got.Attribute == nil || !got.Attribute.Equal(tftypes.NewAttributePath().WithAttributeName(spec.AttrDiscardTopBottom)) {
		t.Errorf("discard_top_bottom = %g: error is on %v", value, got.Attribute)
	}
	if limitText := fmt.Sprintf("between 0 and %g,", limit); !strings.Contains(got.Detail, spec.AttrDiscardTopBottom) || !strings.Contains(got.Detail, limitText) {
		t.Errorf("discard_top_bottom = %g: detail %q names neither the attribute nor %q", value, got.Detail, limitText)
	}
	t.Logf("discard_top_bottom = %g: refused: %s", value, got.Detail)
}

// testAgainstChangedSpec runs this test in a package compiled with
// MaxDiscardTopBottom = limit and returns its verbose output.
func testAgainstChangedSpec(t *testing.T, limit float64) string {
	t.Helper()
	root := moduleRoot(t)
	limits := filepath.Join(root, "internal", "tuning", "spec", "limits.go")
	src, err := os.ReadFile(limits)
	if err != nil {
		t.Fatal(err)
	}
	if !discardLimitDeclaration.Match(src) {
		t.Fatalf("%s declares no MaxDiscardTopBottom = <number> to change", limits)
	}
	dir := t.TempDir()
	changedLimits := filepath.Join(dir, "limits.go")
	changed := discardLimitDeclaration.ReplaceAll(src, []byte("${1}"+strconv.FormatFloat(limit, 'g', -1, 64)))
	if err := os.WriteFile(changedLimits, changed, 0o600); err != nil {
		t.Fatal(err)
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {limits: changedLimits}})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o600); err != nil {
		t.Fatal(err)
	}

	args := []string{"test", "-overlay=" + overlayFile, "-count=1", "-v", "-run", "^TestDiscardTopBottomPlanLimitFollowsTheSpec$"}
	if builtWithRace() {
		args = append(args, "-race") // the dependencies are in the build cache as this run built them
	}
	cmd := exec.CommandContext(t.Context(), "go", append(args, "./internal/provider/")...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), expectDiscardMaxEnv+"="+strconv.FormatFloat(limit, 'g', -1, 64))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s with MaxDiscardTopBottom = %g: %v\n%s", strings.Join(args, " "), limit, err, out)
	}
	return string(out)
}

// moduleRoot is the directory of go.mod above the working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// builtWithRace says whether this test binary has the race detector.
func builtWithRace() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}
