package tuning

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func architecturesInput(arn string) spec.Input {
	in := copiesInput(arn)
	in.Architectures = []string{"x86_64", "arm64"}
	return in
}

func TestE2ECopiesCompareArchitectures(t *testing.T) {
	tests := []struct {
		armFactor string
		want      string
	}{
		{"1", "arm64"},    // as fast, and arm64's GB-second costs 20% less
		{"1.5", "x86_64"}, // half as slow again outweighs the lower price
	}
	for _, tt := range tests {
		t.Run("arm64 factor "+tt.armFactor, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "compared", Environment: cpuBound(map[string]string{"SIM_ARM64_CPU_FACTOR": tt.armFactor, "SIM_NOISE": "0"})})
			check := env.beforeRun("compared")
			rep, err := env.engine().Run(context.Background(), architecturesInput(arn))
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			env.assertUntouched(check)
			rows := map[string]int{}
			for _, res := range rep.Results {
				rows[res.Architecture]++
			}
			if len(rep.Results) != 6 || rows["x86_64"] != 3 || rows["arm64"] != 3 {
				t.Fatalf("results per architecture = %v, want 3 rows for each", rows)
			}
			if rep.OptimalArchitecture != tt.want {
				t.Errorf("optimal architecture = %s, want %s (results %+v)", rep.OptimalArchitecture, tt.want, rep.Results)
			}
			if len(rep.VisualizationURLs) != 2 || rep.VisualizationURLs[tt.want] != rep.VisualizationURL || rep.VisualizationURLs["x86_64"] == rep.VisualizationURLs["arm64"] {
				t.Errorf("visualization URLs %v, optimum's %s; want one per architecture, the optimum's the same", rep.VisualizationURLs, rep.VisualizationURL)
			}
			if rep.Architecture != "x86_64" {
				t.Errorf("function architecture = %s, want the function's own x86_64", rep.Architecture)
			}
		})
	}
}

func TestE2ECopiesOnAnArchitectureTheCodeCannotRunOn(t *testing.T) {
	for _, skip := range []bool{true, false} {
		t.Run(map[bool]string{true: "skipped", false: "fails"}[skip], func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(map[string]string{"SIM_ONLY_ARCHITECTURE": "x86_64"})})
			check := env.beforeRun("target")
			in := architecturesInput(arn)
			in.SkipFailedPowerValues = skip
			rep, err := env.engine().Run(context.Background(), in)
			env.assertUntouched(check)
			if !skip {
				var step *faults.StepError
				if !errors.As(err, &step) || step.Operation != "Invoke" || !strings.HasSuffix(step.Function, "-arm64") || !strings.Contains(err.Error(), "Runtime.InvalidEntrypoint") {
					t.Fatalf("error = %v, want an Invoke error naming the arm64 copy", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			for _, res := range rep.Results {
				if failed := res.Architecture == "arm64"; res.Failed != failed || (failed && !strings.Contains(res.FailureReason, "Runtime.InvalidEntrypoint")) {
					t.Errorf("%d MB on %s: failed %v (%s)", res.Power, res.Architecture, res.Failed, res.FailureReason)
				}
			}
			if rep.OptimalArchitecture != "x86_64" {
				t.Errorf("optimal architecture = %s, want x86_64", rep.OptimalArchitecture)
			}
		})
	}
}
