package tuning

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// Recovery is what a run found of an interrupted run and undid before tuning.
type Recovery struct {
	RunID   string // "" when the leftovers had no record
	Owner   string
	Started time.Time
	// MemoryFound and MemoryRestored are $LATEST memory as found and as
	// restored; equal when it needed no restoring.
	MemoryFound, MemoryRestored int32
	DescriptionRestored         bool
	DeletedAliases              []string
	DeletedVersions             []string
	// KeptVersions were published by a run but an alias that is not a
	// run's points to them: they are the user's now.
	KeptVersions []string
	// Unrestored says what recovery left as it found it, and why.
	Unrestored []string
}

// String lists what was recovered, for a warning.
func (rc *Recovery) String() string {
	var b strings.Builder
	if rc.RunID != "" {
		fmt.Fprintf(&b, "Recovered interrupted tuning run %s (started %s by %s): ", rc.RunID, rc.Started.Format(time.RFC3339), rc.Owner)
	} else {
		b.WriteString("Recovered leftovers of an interrupted tuning run that left no record: ")
	}
	var did []string
	if rc.MemoryFound != rc.MemoryRestored {
		did = append(did, fmt.Sprintf("restored $LATEST memory from %d MB to %d MB", rc.MemoryFound, rc.MemoryRestored))
	}
	if rc.DescriptionRestored {
		did = append(did, "restored $LATEST description")
	}
	if len(rc.DeletedAliases) > 0 {
		did = append(did, plural(len(rc.DeletedAliases), "deleted alias ", "deleted aliases ")+strings.Join(rc.DeletedAliases, ", "))
	}
	if len(rc.DeletedVersions) > 0 {
		did = append(did, plural(len(rc.DeletedVersions), "deleted version ", "deleted versions ")+strings.Join(rc.DeletedVersions, ", "))
	}
	if len(rc.KeptVersions) > 0 {
		did = append(did, plural(len(rc.KeptVersions), "kept version ", "kept versions ")+strings.Join(rc.KeptVersions, ", ")+" (an alias of yours points to it)")
	}
	if len(did) == 0 {
		did = append(did, "it had changed nothing on the function")
	}
	b.WriteString(strings.Join(did, "; "))
	b.WriteString(".")
	for _, u := range rc.Unrestored {
		b.WriteString(" " + u)
	}
	return b.String()
}

// runAliasName matches the aliases a run creates: RAM<power>, RAM<power>-<i>.
var runAliasName = regexp.MustCompile(`^RAM[0-9]+(-[0-9]+)?$`)

// isRunVersion: every version a run publishes has a description starting
// with runAliasDescription; a user's never does.
func isRunVersion(description string) bool { return isRunAlias(description) }

// recoverInterrupted undoes what an interrupted run left while this run
// holds the lock: it deletes the RAM aliases and the versions runs
// published (never one an alias of the user's points to) and restores
// $LATEST to the interrupted run's recorded original. held is nil when
// leftovers were found without a record.
func (r *run) recoverInterrupted(ctx context.Context, held *runrecord.Record) (*Recovery, error) {
	rc := &Recovery{}
	if held != nil {
		rc.RunID, rc.Owner, rc.Started = held.RunID, held.Owner(), held.Started
	}
	r.emit(Event{Phase: "resolve", Message: "recovering an interrupted tuning run " + rc.RunID})
	fail := func(op string, err error, power int32) (*Recovery, error) {
		return rc, r.recoveryError(ctx, rc, held, &StepError{Operation: op, Function: r.arn, Power: power, Err: err})
	}

	now, err := r.settledLatest(ctx)
	if err != nil {
		return fail("GetFunction", err, 0)
	}
	rc.MemoryFound, rc.MemoryRestored = now.memory, now.memory

	runAliases, userTargets, saved, err := r.listRunAliases(ctx)
	if err != nil {
		return fail("ListAliases", err, 0)
	}
	for _, name := range runAliases {
		if err := r.deleteAlias(ctx, name); err != nil {
			return fail("DeleteAlias", errors.Unwrap(err), 0)
		}
		rc.DeletedAliases = append(rc.DeletedAliases, name)
	}
	if err := r.deleteRunVersions(ctx, rc, userTargets); err != nil {
		return fail("DeleteFunction", err, 0)
	}

	want := now
	if held != nil && held.Memory != 0 {
		want.memory = held.Memory
	} else if len(rc.DeletedAliases)+len(rc.DeletedVersions) > 0 {
		rc.Unrestored = append(rc.Unrestored, fmt.Sprintf("No record says what $LATEST memory was before that run: it is left at %d MB.", now.memory))
	}
	if saved != nil {
		want.description = *saved
	} else if isRunAlias(now.description) {
		rc.Unrestored = append(rc.Unrestored, fmt.Sprintf("$LATEST description %q was set by that run, but no record keeps the original: set it back by hand.", now.description))
	}
	if want != now {
		if err := r.putLatest(ctx, now, want); err != nil {
			return fail("UpdateFunctionConfiguration", err, want.memory)
		}
		rc.MemoryRestored, rc.DescriptionRestored = want.memory, want.description != now.description
	}
	if saved != nil {
		if err := r.deleteAlias(ctx, runrecord.DescriptionAlias); err != nil {
			return fail("DeleteAlias", errors.Unwrap(err), 0)
		}
	}
	r.emit(Event{Phase: "resolve", Message: rc.String()})
	return rc, nil
}

// settledLatest reads $LATEST, waiting out an update still in progress.
func (r *run) settledLatest(ctx context.Context) (latestState, error) {
	out, err := r.lam.GetFunction(ctx, &lambda.GetFunctionInput{
		FunctionName: aws.String(r.arn), Qualifier: aws.String(latestQualifier),
	})
	if err != nil {
		return latestState{}, err
	}
	c := out.Configuration
	if c == nil {
		return latestState{}, errors.New("GetFunction answered without a configuration")
	}
	if c.LastUpdateStatus == types.LastUpdateStatusInProgress || c.State == types.StatePending {
		return r.waitUpdated(ctx, time.Time{})
	}
	return latestState{memory: aws.ToInt32(c.MemorySize), description: aws.ToString(c.Description)}, nil
}

// listRunAliases returns the RAM aliases runs created, the versions other
// aliases route to (the user's), and the saved original description.
func (r *run) listRunAliases(ctx context.Context) (runAliases []string, userTargets map[string]string, saved *string, err error) {
	userTargets = map[string]string{}
	pages := lambda.NewListAliasesPaginator(r.lam, &lambda.ListAliasesInput{FunctionName: aws.String(r.arn)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, a := range page.Aliases {
			name, desc := aws.ToString(a.Name), aws.ToString(a.Description)
			switch {
			case name == runrecord.LockAlias:
			case name == runrecord.DescriptionAlias:
				saved = &desc
			case runAliasName.MatchString(name) && isRunAlias(desc):
				runAliases = append(runAliases, name)
			default:
				userTargets[aws.ToString(a.FunctionVersion)] = name
				if a.RoutingConfig != nil {
					for v := range a.RoutingConfig.AdditionalVersionWeights {
						userTargets[v] = name
					}
				}
			}
		}
	}
	return runAliases, userTargets, saved, nil
}

// deleteRunVersions deletes the versions runs published, except those a
// user's alias routes to.
func (r *run) deleteRunVersions(ctx context.Context, rc *Recovery, userTargets map[string]string) error {
	marked, err := r.runVersions(ctx)
	if err != nil {
		return fmt.Errorf("ListVersionsByFunction: %w", err)
	}
	for _, v := range marked {
		if _, ok := userTargets[v]; ok {
			rc.KeptVersions = append(rc.KeptVersions, v)
			continue
		}
		err := r.whileBusy(ctx, func(ctx context.Context) error {
			_, err := r.lam.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(r.arn), Qualifier: aws.String(v)})
			return err
		})
		switch {
		case err == nil || isNotFound(err):
			rc.DeletedVersions = append(rc.DeletedVersions, v)
		case isVersionReferenced(err):
			rc.KeptVersions = append(rc.KeptVersions, v)
		default:
			return fmt.Errorf("version %s: %w", v, err)
		}
	}
	return nil
}

// runVersions are the versions a run published (marked by their description).
func (r *run) runVersions(ctx context.Context) ([]string, error) {
	var marked []string
	pages := lambda.NewListVersionsByFunctionPaginator(r.lam, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(r.arn)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, v := range page.Versions {
			if version := aws.ToString(v.Version); version != latestQualifier && isRunVersion(aws.ToString(v.Description)) {
				marked = append(marked, version)
			}
		}
	}
	return marked, nil
}

// putLatest sends only what differs and waits for the update to finish.
func (r *run) putLatest(ctx context.Context, now, want latestState) error {
	in := &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(r.arn)}
	if now.memory != want.memory {
		in.MemorySize = aws.Int32(want.memory)
	}
	if now.description != want.description {
		in.Description = aws.String(want.description)
	}
	sent := r.s.clock.Now()
	if err := r.mutate(ctx, func(ctx context.Context) error {
		_, err := r.lam.UpdateFunctionConfiguration(ctx, in)
		return err
	}); err != nil {
		return err
	}
	_, err := r.waitUpdated(ctx, sent)
	return err
}

// recoveryError says what recovery could not finish, as a CleanupError so
// the report carries the commands that finish it by hand.
func (r *run) recoveryError(ctx context.Context, rc *Recovery, held *runrecord.Record, err error) error {
	ce := &CleanupError{Function: r.arn, Recovering: cmp.Or(rc.RunID, "(no record)"), Err: err}
	if held != nil {
		ce.OriginalMemory = held.Memory
	}
	ce.LatestMemory = rc.MemoryFound
	if aliases, _, _, lerr := r.listRunAliases(ctx); lerr == nil {
		ce.RemainingAliases = aliases
	}
	if versions, lerr := r.runVersions(ctx); lerr == nil {
		ce.RemainingVersions = versions
	}
	return ce
}
