package tuning

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
)

// largePackage is above the 50 MB CreateFunction takes inline, and does
// not compress: built once, shared by the tests of this file.
var largePackage = sync.OnceValue(func() []byte { return lambdasim.LargeZipPackage(51<<20, 1) })

func TestE2ECopiesStageALargePackageThroughS3(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil), Code: largePackage()})
	env.sim.PutObject("staging", "keep/other.txt", []byte("someone else's")) // the bucket exists, with another object
	check := env.beforeRun("target")
	lam := &codeRecordingLambda{LambdaAPI: env.lambda("us-east-1")}

	in := copiesInput(arn)
	in.CopiesCodeS3URI = "s3://staging/tuner/"
	rep, err := env.engine(func(c *Config) { c.Clients = codeRecordingClients{Clients: c.Clients, lam: lam} }).Run(context.Background(), in)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	env.assertUntouched(check)
	if len(rep.Results) != 3 {
		t.Errorf("results = %d rows, want 3", len(rep.Results))
	}
	// Each copy runs the function's own code, created from the staged object.
	if len(lam.shas) != 3 {
		t.Fatalf("copies created = %d, want 3", len(lam.shas))
	}
	for _, sha := range lam.shas {
		if sha != rep.FunctionCodeSha256 {
			t.Errorf("copy CodeSha256 %s, want the function's %s", sha, rep.FunctionCodeSha256)
		}
	}
	st := env.sim.Stats()
	if st.Requests["PutObject"] != 1 || st.Requests["DeleteObject"] != 1 {
		t.Errorf("PutObject %d, DeleteObject %d; want the package staged once and deleted once", st.Requests["PutObject"], st.Requests["DeleteObject"])
	}
	if objs := env.sim.Objects("staging"); len(objs) != 1 || objs[0] != "keep/other.txt" {
		t.Errorf("objects in the staging bucket after the run = %v, want only keep/other.txt", objs)
	}
}

func TestE2ECopiesOfALargePackageWithoutStagingFailBeforeCreatingAnything(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Code: largePackage()})
	check := env.beforeRun("target")

	_, err := env.engine().Run(context.Background(), copiesInput(arn))
	var step *faults.StepError
	if !errors.As(err, &step) || step.Operation != "CreateFunction" {
		t.Fatalf("error = %v, want a StepError naming CreateFunction", err)
	}
	for _, want := range []string{"51.0 MB", "50 MB", "copies_code_s3_uri", "nothing was created or changed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	env.assertUntouched(check)
	if n := env.sim.Stats().Requests["CreateFunction"]; n != 0 {
		t.Errorf("CreateFunction calls = %d, want none", n)
	}
}

func TestE2ECopiesStagingThatFailsLeavesNothing(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Code: largePackage()})
	env.sim.DenyS3("staging")
	check := env.beforeRun("target")

	in := copiesInput(arn)
	in.CopiesCodeS3URI = "s3://staging"
	_, err := env.engine().Run(context.Background(), in)
	var step *faults.StepError
	if !errors.As(err, &step) || step.Operation != "PutObject" || !strings.Contains(err.Error(), "s3://staging/"+copies.NamePrefix(arn)) {
		t.Fatalf("error = %v, want a StepError naming PutObject and the staged object", err)
	}
	env.assertUntouched(check)
	if n := env.sim.Stats().Requests["CreateFunction"]; n != 0 {
		t.Errorf("CreateFunction calls = %d, want none", n)
	}
}

// A package a killed run staged is deleted by a later run with
// copies_code_s3_uri once it is older than a lease; a recent one (a live
// run may be about to create its copies from it) and other objects stay.
func TestE2ECopiesRemoveThePackagesKilledRunsStaged(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	other := env.addFunction(lambdasim.FunctionSpec{Name: "other"})
	leftover := "tuner/" + copies.NamePrefix(arn) + "0dead333.zip"
	kept := []string{"keep/other.txt", "tuner/" + copies.NamePrefix(other) + "0dead444.zip"}
	for _, key := range append([]string{leftover}, kept...) {
		env.sim.PutObject("staging", key, []byte("a package"))
	}
	in := copiesInput(arn)
	in.CopiesCodeS3URI = "s3://staging/tuner"
	lease := 2 * time.Minute

	// Within a lease of its upload the package may be a live run's.
	if _, err := env.engine(func(c *Config) { c.Lock.Lease = lease }).Run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if objs := env.sim.Objects("staging"); !slices.Contains(objs, leftover) {
		t.Fatalf("a package staged within the lease was deleted: %v", objs)
	}
	var events recorder
	later := func(c *Config) {
		c.Lock.Lease, c.Clock, c.Progress = lease, laterClock{by: lease + time.Second}, events.record
	}
	rep, err := env.engine(later).Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if objs := env.sim.Objects("staging"); !slices.Equal(objs, kept) {
		t.Errorf("objects after the run = %v, want only %v", objs, kept)
	}
	said := false
	for _, ev := range events.events {
		said = said || strings.Contains(ev.Message, "deleting s3://staging/"+leftover)
	}
	// Every recovery is one warning listing what it undid.
	if !said || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "deleted the staged package s3://staging/"+leftover) {
		t.Errorf("progress said the deletion: %v; warnings %q, want one naming the package deleted", said, rep.Warnings)
	}
}
