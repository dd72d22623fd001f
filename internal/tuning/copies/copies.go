// Package copies tunes temporary copies of the function instead of the
// function: one copy per memory size (and architecture), created from the
// function's (or a version's) code and configuration, invoked, and deleted
// with its log group whatever happens. The function receives no change and
// no invocation. Copies carry their run's lease in tags, so a later run
// deletes those of a killed run and leaves a live run's alone. Everything
// copies change on AWS is in this package. It imports target, lambdaops,
// lock (the lease heartbeat and owner check) and runrecord, never another
// way of running.
package copies

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

const (
	// namePrefix starts every copy's name, so people and a later run
	// recognise it.
	namePrefix = "awspt-"
	// nameTargetLen keeps names within Lambda's 64 characters:
	// 6 + 24 + 1 + 8 + 1 + 8 + 1 + 5 = 54.
	nameTargetLen = 24
	// targetTag marks a copy with its target; runrecord.CopyLease tags
	// mark it with its run and the run's lease.
	targetTag = "awspowertuning:target"
	// maxInCreation bounds concurrent CreateFunction calls, which share the
	// control-plane quota of 15 calls per second: a burst of 10 fits.
	maxInCreation = 10
	// maxDirectZipBytes is the largest zip CreateFunction takes inline.
	maxDirectZipBytes = 50 << 20
	// maxStagedZipBytes bounds a package staged through S3: Lambda takes
	// at most 250 MB unzipped, and a zip is no larger than its contents.
	maxStagedZipBytes = 250 << 20
)

// Target tunes copies of the function.
type Target struct {
	env target.Env
	fn  *lambdaops.Function
	src *source // what every copy is made of

	liveRuns      map[string]bool // run IDs of live runs whose copies were found
	leftovers     []string        // copies killed runs left, found by Resolve
	orphanGroups  []string        // log groups of copies killed runs left and already gone
	stagedDeleted []string        // packages killed runs staged, deleted
	stopBeat      func()          // stops the lease heartbeat, once started

	groupsLeft groupsLeft // log groups that could not be deleted
}

var _ target.Target = (*Target)(nil)

// New is the copies way of running.
func New(env target.Env) *Target { return &Target{env: env, fn: env.Fn} }

// ChangesFunction: copies leave the function untouched.
func (t *Target) ChangesFunction() bool { return false }

// Variants: one copy per size, whose $LATEST is invoked.
func (t *Target) Variants() int { return 1 }

// source is what every copy is created from: the target's (or the named
// version's) configuration and its code.
type source struct {
	config types.FunctionConfiguration
	tags   map[string]string // the function's, that a copy keeps (keptTags)
	zip    []byte            // zip package, downloaded from Code.Location
	image  string            // image URI, for image functions
	// s3Bucket and s3Key hold the zip once staged (copies_code_s3_uri).
	s3Bucket, s3Key string
}

// NamePrefix starts the name of every copy of the function (an
// unqualified ARN), whatever run made it: "awspt-", the function name cut to
// 24 characters, a hash of the ARN. A run with copies deletes every
// function whose name starts with it and whose lease ran out, as leftovers
// of a killed run.
func NamePrefix(functionARN string) string {
	_, name, _ := spec.ParseFunctionARN(functionARN)
	sum := sha256.Sum256([]byte(functionARN))
	return namePrefix + name[:min(len(name), nameTargetLen)] + "-" + hex.EncodeToString(sum[:4]) + "-"
}

func (t *Target) prefix() string { return NamePrefix(t.fn.ARN()) }

// name is at most 54 characters, 62 with an architecture.
func (t *Target) name(power int32, arch string) string {
	name := t.prefix() + t.env.RunID + "-" + strconv.Itoa(int(power))
	if arch != "" {
		name += "-" + arch
	}
	return name
}

// Resolve reads the configuration and code the copies are made of, once,
// and beside that finds the copies killed runs left.
func (t *Target) Resolve(ctx context.Context) error {
	out, err := t.fn.Await(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return t.findLeftovers(gctx) })
	g.Go(func() error { return t.readSource(gctx, out) })
	return g.Wait()
}

// readSource reads the configuration and code the copies are made of.
func (t *Target) readSource(ctx context.Context, out *lambda.GetFunctionOutput) error {
	src := &source{config: *out.Configuration}
	src.tags = t.keptTags(out.Tags)
	if src.config.PackageType == types.PackageTypeImage {
		if out.Code != nil {
			src.image = aws.ToString(out.Code.ResolvedImageUri)
			if src.image == "" {
				src.image = aws.ToString(out.Code.ImageUri)
			}
		}
		if src.image == "" {
			return &faults.StepError{Operation: "GetFunction", Function: t.env.Input.LambdaARN, Err: errors.New("the answer names no image to copy")}
		}
		t.src = src
		return nil
	}
	if err := t.checkPackageSize(src.config); err != nil {
		return err
	}
	if out.Code == nil || aws.ToString(out.Code.Location) == "" {
		return &faults.StepError{Operation: "GetFunction", Function: t.env.Input.LambdaARN, Err: errors.New("the answer has no Code.Location to download the package from")}
	}
	limit := int64(maxDirectZipBytes)
	if t.env.Input.CopiesCodeS3URI != "" {
		limit = maxStagedZipBytes
	}
	zip, err := download(ctx, t.env.Clients.HTTP(), aws.ToString(out.Code.Location), limit)
	if err != nil {
		return &faults.StepError{Operation: "GetFunctionCode", Function: t.env.Input.LambdaARN, Err: fmt.Errorf("downloading the package from Code.Location: %w (nothing was created or changed)", err)}
	}
	src.zip = zip
	t.src = src
	return nil
}
