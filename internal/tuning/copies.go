package tuning

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"golang.org/x/sync/errgroup"
)

// Isolation values: tune the function itself, or temporary copies of it.
const (
	IsolationNone   = "none"
	IsolationCopies = "copies"
)

const (
	// copyNamePrefix starts every copy's name, so people and a later run
	// recognise it.
	copyNamePrefix = "awspt-"
	// copyNameTargetLen keeps names within Lambda's 64 characters:
	// 6 + 24 + 1 + 8 + 1 + 8 + 1 + 5 = 54.
	copyNameTargetLen = 24
	// copyTargetTag marks a copy with its target; runrecord.CopyLease
	// tags mark it with its run and the run's lease.
	copyTargetTag = "awspowertuning:target"
	// maxCopiesInCreation bounds concurrent CreateFunction calls, which share
	// the control-plane quota of 15 calls per second: a burst of 10 fits.
	maxCopiesInCreation = 10
	// maxDirectZipBytes is the largest zip CreateFunction takes inline.
	maxDirectZipBytes = 50 << 20
	// maxStagedZipBytes bounds a package staged through S3: Lambda takes
	// at most 250 MB unzipped, and a zip is no larger than its contents.
	maxStagedZipBytes = 250 << 20
)

func (r *run) usesCopies() bool { return r.in.Isolation == IsolationCopies }

func (in Input) validateIsolation(add addFunc) {
	in.validateArchitectures(add)
	if in.CopiesCodeS3URI != "" {
		if in.Isolation != IsolationCopies {
			add(attrCopiesCodeS3URI, `only applies with isolation = "copies" (it stages the package copies are created from): set isolation = "copies" or remove copies_code_s3_uri`)
		}
		if _, _, err := stagingLocation(in.CopiesCodeS3URI); err != nil {
			add(attrCopiesCodeS3URI, "%s", err.Error())
		}
	}
	switch in.Isolation {
	case "", IsolationNone:
		return
	case IsolationCopies:
	default:
		add(attrIsolation, `%q is not an isolation: use "none" (tune the function itself, the default) or "copies" (tune temporary copies and never change the function)`, in.Isolation)
		return
	}
	if in.OnlyColdStarts {
		add(attrOnlyColdStarts, `cannot be combined with isolation = "copies": every copy's first invocation is cold but later ones are warm; use isolation = "none" or remove only_cold_starts`)
	}
	if in.AutoOptimize && qualifierOf(in.LambdaARN) != "" {
		add(attrAutoOptimize, `applies the optimum to $LATEST, but lambda_arn names the version or alias %q: remove the qualifier, or remove auto_optimize and apply the result yourself`, qualifierOf(in.LambdaARN))
	}
}

func (in Input) validateArchitectures(add addFunc) {
	if len(in.Architectures) == 0 {
		return
	}
	if in.Isolation != IsolationCopies {
		add(attrArchitectures, `only applies with isolation = "copies" (a function has one architecture; copies can have others): set isolation = "copies" or remove architectures`)
	}
	if in.Sampling == SamplingAdaptive {
		add(attrArchitectures, `cannot be combined with sampling = "adaptive" yet (the race judges every memory size at one price): use sampling = "exhaustive" or compare one architecture at a time`)
	}
	seen := map[string]bool{}
	for _, a := range in.Architectures {
		switch {
		case a != string(types.ArchitectureX8664) && a != string(types.ArchitectureArm64):
			add(attrArchitectures, `%q is not a Lambda architecture: use "x86_64" and/or "arm64"`, a)
		case seen[a]:
			add(attrArchitectures, `%q is listed more than once: list each architecture once`, a)
		}
		seen[a] = true
	}
}

// qualifierOf is the version or alias a lambda_arn names ("" for none).
func qualifierOf(lambdaARN string) string {
	if m := functionARNPattern.FindStringSubmatch(lambdaARN); m != nil {
		return m[3]
	}
	if m := partialARNPattern.FindStringSubmatch(lambdaARN); m != nil {
		return m[2]
	}
	return ""
}

// copySource is what every copy is created from: the target's (or the
// named version's) configuration and its code.
type copySource struct {
	config types.FunctionConfiguration
	zip    []byte // zip package, downloaded from Code.Location
	image  string // image URI, for image functions
	// s3Bucket and s3Key hold the zip once staged (copies_code_s3_uri).
	s3Bucket, s3Key string
}

// CopyNamePrefix starts the name of every copy of the function (an
// unqualified ARN), whatever run made it: "awspt-", the function name cut to
// 24 characters, a hash of the ARN. A run with copies deletes every function
// whose name starts with it before it creates its own, as leftovers of a
// killed run.
func CopyNamePrefix(functionARN string) string {
	_, name, _ := ParseFunctionARN(functionARN)
	sum := sha256.Sum256([]byte(functionARN))
	return copyNamePrefix + name[:min(len(name), copyNameTargetLen)] + "-" + hex.EncodeToString(sum[:4]) + "-"
}

func (r *run) copyPrefix() string { return CopyNamePrefix(r.arn) }

// copyName is at most 54 characters, 62 with an architecture.
func (r *run) copyName(power int32, arch string) string {
	name := r.copyPrefix() + r.runID + "-" + strconv.Itoa(int(power))
	if arch != "" {
		name += "-" + arch
	}
	return name
}

// archs are the architectures the run compares: the input's, or "" for
// the function's own.
func (r *run) archs() []string {
	if len(r.in.Architectures) == 0 {
		return []string{""}
	}
	return r.in.Architectures
}

// resolveCopySource reads the configuration and code the copies are made of.
func (r *run) resolveCopySource(ctx context.Context, out *lambda.GetFunctionOutput) error {
	src := &copySource{config: *out.Configuration}
	if src.config.PackageType == types.PackageTypeImage {
		if out.Code != nil {
			src.image = aws.ToString(out.Code.ResolvedImageUri)
			if src.image == "" {
				src.image = aws.ToString(out.Code.ImageUri)
			}
		}
		if src.image == "" {
			return &StepError{Operation: "GetFunction", Function: r.in.LambdaARN, Err: errors.New("the answer names no image to copy")}
		}
		r.copySrc = src
		return nil
	}
	if err := r.checkPackageSize(src.config); err != nil {
		return err
	}
	if out.Code == nil || aws.ToString(out.Code.Location) == "" {
		return &StepError{Operation: "GetFunction", Function: r.in.LambdaARN, Err: errors.New("the answer has no Code.Location to download the package from")}
	}
	limit := int64(maxDirectZipBytes)
	if r.in.CopiesCodeS3URI != "" {
		limit = maxStagedZipBytes
	}
	zip, err := downloadCode(ctx, r.e.cfg.HTTPClient, aws.ToString(out.Code.Location), limit)
	if err != nil {
		return &StepError{Operation: "GetFunctionCode", Function: r.in.LambdaARN, Err: fmt.Errorf("downloading the package from Code.Location: %w (nothing was created or changed)", err)}
	}
	src.zip = zip
	r.copySrc = src
	return nil
}

// createCopies creates one copy per power value, a few at a time, and lets
// each power value's invocations start as soon as its copy is Active.
func (r *run) createCopies(ctx context.Context, execs []*powerExec) error {
	if err := r.stageCode(ctx); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxCopiesInCreation)
	for _, pe := range execs {
		g.Go(func() error {
			if err := r.createCopy(gctx, pe); err != nil {
				if reason, ok := r.skippableCopy(pe.power, err); ok {
					pe.skip(reason)
					return nil
				}
				return err
			}
			pe.markReady(0, "$LATEST")
			return nil
		})
	}
	return g.Wait()
}

// skippableCopy: with skip_failed_power_values, a memory size Lambda
// refuses fails that power value only, as in place.
func (r *run) skippableCopy(power int32, err error) (string, bool) {
	msg, refused := memoryRefused(err)
	if !r.in.SkipFailedPowerValues || !refused {
		return "", false
	}
	return fmt.Sprintf("CreateFunction refused %d MB, above the account's memory quota: %s", power, msg), true
}

// createCopy creates the copy and waits until it is Active. The copy is in
// the ledger before the request is sent: a create whose answer is lost may
// still have happened, and clean-up deletes by name.
func (r *run) createCopy(ctx context.Context, pe *powerExec) error {
	power, name := pe.power, pe.aliases[0]
	r.ledger.addCopy(name)
	in := r.copyInput(name, power)
	if pe.arch != "" {
		in.Architectures = []types.Architecture{types.Architecture(pe.arch)}
	}
	err := r.mutate(ctx, func(ctx context.Context) error {
		_, err := r.lam.CreateFunction(ctx, in)
		if isFunctionExists(err) {
			return nil // the SDK retried a create that had worked: the name is this run's
		}
		return err
	})
	if err != nil {
		return &StepError{Operation: "CreateFunction", Function: name, Power: power, Err: fmt.Errorf("creating the copy of %s: %w", r.arn, err)}
	}
	if err := r.waitActive(ctx, name, r.s.clock.Now()); err != nil {
		return &StepError{Operation: "GetFunction", Function: name, Power: power, Err: fmt.Errorf("waiting for the copy of %s to become Active: %w", r.arn, err)}
	}
	return nil
}

// copyInput is the target's configuration with the copy's name, memory,
// description and tags. What a copy deliberately lacks (event sources,
// triggers, resource policy, URL, reserved concurrency) is documented.
func (r *run) copyInput(name string, power int32) *lambda.CreateFunctionInput {
	c := r.copySrc.config
	in := &lambda.CreateFunctionInput{
		FunctionName:      aws.String(name),
		Role:              c.Role,
		MemorySize:        aws.Int32(power),
		Timeout:           c.Timeout,
		Description:       aws.String(fmt.Sprintf("awspowertuning copy of %s at %d MB, run %s", r.arn, power, r.runID)),
		Architectures:     c.Architectures,
		PackageType:       c.PackageType,
		KMSKeyArn:         c.KMSKeyArn,
		EphemeralStorage:  c.EphemeralStorage,
		FileSystemConfigs: c.FileSystemConfigs,
		LoggingConfig:     r.copyLogging(),
		DeadLetterConfig:  c.DeadLetterConfig,
		Tags:              r.copyLease().Tags(),
	}
	in.Tags[copyTargetTag] = r.arn
	if r.copySrc.image != "" {
		in.Code = &types.FunctionCode{ImageUri: aws.String(r.copySrc.image)}
		if ic := c.ImageConfigResponse; ic != nil && ic.ImageConfig != nil {
			in.ImageConfig = ic.ImageConfig
		}
	} else {
		in.Code = &types.FunctionCode{ZipFile: r.copySrc.zip}
		if r.copySrc.s3Key != "" {
			in.Code = &types.FunctionCode{S3Bucket: aws.String(r.copySrc.s3Bucket), S3Key: aws.String(r.copySrc.s3Key)}
		}
		in.Runtime, in.Handler = c.Runtime, c.Handler
	}
	if c.Environment != nil {
		in.Environment = &types.Environment{Variables: c.Environment.Variables}
	}
	for _, l := range c.Layers {
		in.Layers = append(in.Layers, aws.ToString(l.Arn))
	}
	if v := c.VpcConfig; v != nil && len(v.SubnetIds) > 0 {
		in.VpcConfig = &types.VpcConfig{SubnetIds: v.SubnetIds, SecurityGroupIds: v.SecurityGroupIds, Ipv6AllowedForDualStack: v.Ipv6AllowedForDualStack}
	}
	if t := c.TracingConfig; t != nil {
		in.TracingConfig = &types.TracingConfig{Mode: t.Mode}
	}
	if s := c.SnapStart; s != nil && s.ApplyOn != "" {
		in.SnapStart = &types.SnapStart{ApplyOn: s.ApplyOn}
	}
	return in
}

// creationWatch learns how long copies take to become Active. The copies
// of a run are created at about the same time, so one of them (the first
// to wait) is polled at a short steady interval and the others wait for it,
// then poll when they should be Active too: the run learns the latency
// without a growing backoff overshooting it, and its polls stay few.
type creationWatch struct {
	leader  sync.Once
	learned chan struct{} // closed when the leader's copy is Active or failed
	latency time.Duration // written before learned is closed; 0 if unknown
}

func newCreationWatch() *creationWatch { return &creationWatch{learned: make(chan struct{})} }

// waitActive waits until the copy created at created leaves Pending, for at
// most Config.ConflictTimeout; a Failed copy fails with Lambda's reason.
func (r *run) waitActive(ctx context.Context, name string, created time.Time) error {
	w := r.copyWatch
	isLeader := false
	w.leader.Do(func() { isLeader = true })
	if isLeader {
		defer close(w.learned)
		steady := &interval{next: 2 * r.s.pollInterval, max: 2 * r.s.pollInterval}
		err := r.pollActive(ctx, name, steady)
		if err == nil {
			w.latency = r.s.clock.Now().Sub(created)
		}
		return err
	}
	select {
	case <-w.learned:
	case <-ctx.Done():
		return ctx.Err()
	}
	if due := created.Add(w.latency).Sub(r.s.clock.Now()); w.latency > 0 && due > 0 {
		if err := r.s.clock.Sleep(ctx, due); err != nil {
			return err
		}
	}
	return r.pollActive(ctx, name, &interval{next: 0, max: r.s.maxPollInterval})
}

// pollActive polls the copy with wait's schedule (a first step of 0 polls
// at once, then from Config.PollInterval up).
func (r *run) pollActive(ctx context.Context, name string, wait *interval) error {
	deadline := r.s.clock.Now().Add(r.s.conflictTimeout)
	for {
		d := wait.step()
		if d == 0 {
			wait.next = r.s.pollInterval
		} else if err := r.s.clock.Sleep(ctx, r.jittered(d)); err != nil {
			return err
		}
		// GetFunction has a quota of its own (100/s), apart from the
		// control plane's 15/s that creating and deleting copies needs.
		out, err := r.lam.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
		if err != nil {
			return err
		}
		c := out.Configuration
		if c == nil {
			return errors.New("GetFunction answered without a configuration")
		}
		switch c.State {
		case types.StateActive:
			return nil
		case types.StateFailed:
			return fmt.Errorf("the copy failed to create: %s (%s)", aws.ToString(c.StateReason), c.StateReasonCode)
		}
		if !r.s.clock.Now().Before(deadline) {
			return fmt.Errorf("%w: the copy is still %s after %s", ErrFunctionBusy, c.State, r.s.conflictTimeout)
		}
	}
}

// deleteCopies deletes every copy in the ledger, whatever happened; one
// already gone (or never created) counts as deleted.
func (r *run) deleteCopies(ctx context.Context) []error {
	var errs []error
	var deleted []string
	for _, name := range r.ledger.remainingCopies() {
		if err := r.deleteFunction(ctx, name); err != nil {
			errs = append(errs, &StepError{Operation: "DeleteFunction", Function: name, Err: fmt.Errorf("copy of %s: %w", r.arn, err)})
			continue
		}
		r.ledger.copyDeleted(name)
		deleted = append(deleted, name)
	}
	r.deleteCopyLogGroups(ctx, deleted)
	return errs
}

// copyLogging is the function's logging configuration, except that the
// function's default log group (/aws/lambda/<name>, which GetFunction
// names) is left out: each copy then logs to its own default group
// instead of mixing its logs into the function's. A custom group is kept.
func (r *run) copyLogging() *types.LoggingConfig {
	lc := r.copySrc.config.LoggingConfig
	if lc == nil {
		return nil
	}
	out := *lc
	_, name, _ := ParseFunctionARN(r.arn)
	if aws.ToString(out.LogGroup) == "/aws/lambda/"+name {
		out.LogGroup = nil
	}
	return &out
}

// copiesLogToOwnGroups: copies log to /aws/lambda/<copy name> unless the
// function's logging configuration names a custom log group they share.
func (r *run) copiesLogToOwnGroups() bool {
	lc := r.copyLogging()
	return lc == nil || aws.ToString(lc.LogGroup) == ""
}

func (r *run) deleteFunction(ctx context.Context, name string) error {
	err := r.whileBusy(ctx, func(ctx context.Context) error {
		_, err := r.lam.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(name)})
		return err
	})
	if isNotFound(err) {
		return nil
	}
	return err
}

// removeLeftoverCopies deletes copies of this target that an interrupted
// run left: functions with the target's copy prefix whose lease ran out (or
// that carry none). Copies of a live run, in this process or another, are
// left alone; their names hold their run ID, so they never collide with ours.
func (r *run) removeLeftoverCopies(ctx context.Context) error {
	prefix := r.copyPrefix()
	pages := lambda.NewListFunctionsPaginator(r.lam, &lambda.ListFunctionsInput{})
	var leftovers []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return &StepError{Operation: "ListFunctions", Function: r.arn, Err: fmt.Errorf("looking for copies an interrupted run left: %w", err)}
		}
		for _, f := range page.Functions {
			name := aws.ToString(f.FunctionName)
			if !strings.HasPrefix(name, prefix) {
				continue
			}
			leftover, err := r.leftoverCopy(ctx, name, aws.ToString(f.FunctionArn))
			if err != nil {
				return err
			}
			if leftover {
				leftovers = append(leftovers, name)
			}
		}
	}
	var deleted []string
	for _, name := range leftovers {
		r.emit(Event{Phase: "resolve", Message: fmt.Sprintf("deleting %s, a copy an interrupted run left", name)})
		if err := r.deleteFunction(ctx, name); err != nil {
			return &StepError{Operation: "DeleteFunction", Function: name, Err: fmt.Errorf("deleting a copy of %s an interrupted run left: %w", r.arn, err)}
		}
		deleted = append(deleted, name)
	}
	r.deleteCopyLogGroups(ctx, deleted)
	return nil
}

// isFunctionExists is CreateFunction's 409 for a name already taken.
func isFunctionExists(err error) bool {
	code, msg, ok := apiError(err)
	return ok && code == "ResourceConflictException" && strings.Contains(strings.ToLower(msg), "already exist")
}
