package tuning

import (
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// noClients builds runs without calling AWS.
type noClients struct{ awsapi.Clients }

func (noClients) Lambda(string) awsapi.LambdaAPI { return nil }

func TestAdaptiveVerdictsAreSeededByTheInputNotTheClock(t *testing.T) {
	cfg := New(Config{Clients: noClients{}, Seed: 7}).cfg
	in := spec.Input{LambdaARN: "fn", Num: 20, Sampling: spec.SamplingAdaptive, Payload: ptrTo(`{"a":1}`)}
	a, b := newRun(cfg, in, "us-east-1"), newRun(cfg, in, "us-east-1")
	if a.runID == b.runID {
		t.Errorf("two runs share the run ID %s, which marks what each makes", a.runID)
	}
	if a.raceSeed() != b.raceSeed() {
		t.Error("two runs of one input and seed resample differently")
	}
	other := in
	other.Num = 21
	if newRun(cfg, other, "us-east-1").raceSeed() == a.raceSeed() {
		t.Error("another input resamples like this one")
	}
	reseeded := New(Config{Clients: noClients{}, Seed: 8}).cfg
	if newRun(reseeded, in, "us-east-1").raceSeed() == a.raceSeed() {
		t.Error("another configured seed resamples like this one")
	}
}
