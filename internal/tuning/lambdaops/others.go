package lambdaops

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
)

// Every change the run makes to $LATEST carries the RevisionId it last saw,
// and every version it publishes the CodeSha256 it read: when someone else
// changed the function in between, Lambda refuses the change instead of
// applying it over theirs. The run then reads the function again: new code
// stops it (measurements on two codes cannot be compared); a changed memory
// or description becomes what the run restores, so it is never undone; other
// settings are not the run's to touch and are reported.

// errStale is a change refused because the function changed since the run
// last saw it; the caller reads again (othersChanged) and retries.
var errStale = errors.New("the function changed since the run last saw it")

// othersChanged reads $LATEST after a change was refused for a stale
// RevisionId (or code) and takes in what someone else changed. Before the
// run's first change, everything read is the original state, and the record
// is rewritten to say so.
func (f *Function) othersChanged(ctx context.Context, op string) error {
	c, err := f.settledConfiguration(ctx)
	if err != nil {
		return f.stepError("GetFunction", 0, err)
	}
	now := stateOf(c)
	f.mu.Lock()
	codeWas, first := f.code, !f.changed
	f.revision = aws.ToString(c.RevisionId)
	newCode := codeWas != "" && aws.ToString(c.CodeSha256) != codeWas
	if newCode {
		f.code = aws.ToString(c.CodeSha256) // told once; a restore goes on
	}
	f.mu.Unlock()
	if newCode {
		f.ledger.SetCurrent(now)
		return &faults.CodeChangedError{Function: f.ARN(), Was: codeWas, Now: aws.ToString(c.CodeSha256), Operation: op}
	}
	if first {
		f.SetOriginal(now)
		f.events.Note(0, "$LATEST changed between the run's first read and its first change; read it again (%d MB)", now.Memory)
		return f.rewriteRecord(ctx)
	}
	f.takeIn(c, now)
	return f.rewriteRecord(ctx)
}

// takeIn makes what someone else set on memory or description during the
// run what the run restores, and notes every setting they changed.
func (f *Function) takeIn(c *types.FunctionConfiguration, now ledger.LatestState) {
	set, _ := f.ledger.Latest() // what the run itself last set
	ourMemory, ourDescription := f.ledger.Explains(now)
	f.mu.Lock()
	var changes []string
	if !ourMemory {
		changes = append(changes, fmt.Sprintf("MemorySize to %d MB (kept; the run had set %d MB)", now.Memory, set.Memory))
		f.original.Memory = now.Memory
	}
	if !ourDescription {
		changes = append(changes, fmt.Sprintf("Description to %q (kept)", now.Description))
		f.original.Description = now.Description
	}
	for _, aspect := range ConfigDifferences(f.read.Configuration, c) {
		if !containsPrefix(f.others, aspect) {
			changes = append(changes, aspect)
		}
	}
	f.others = append(f.others, changes...)
	f.mu.Unlock()
	f.ledger.SetCurrent(now)
	if len(changes) > 0 {
		f.events.Note(0, "someone else changed $LATEST during the run: %s", strings.Join(changes, "; "))
	}
}

// ChangedByOthers is what someone else changed on $LATEST during the run,
// in words; the run kept all of it.
func (f *Function) ChangedByOthers() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.others...)
}

func (f *Function) rewriteRecord(ctx context.Context) error {
	if k := f.recordKeeper(); k != nil {
		return k.Rewrite(ctx, f.Original())
	}
	return nil
}

// settledConfiguration reads $LATEST, waiting out an update in progress.
func (f *Function) settledConfiguration(ctx context.Context) (*types.FunctionConfiguration, error) {
	for {
		out, err := f.lam.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(f.ARN()), Qualifier: aws.String(Latest)})
		if err == nil && out.Configuration == nil {
			err = errNoConfiguration
		}
		if err != nil {
			return nil, err
		}
		c := out.Configuration
		if c.LastUpdateStatus != types.LastUpdateStatusInProgress && c.State != types.StatePending {
			return c, nil
		}
		if _, _, err := f.waitSettled(ctx, time.Time{}); err != nil {
			return nil, err
		}
	}
}

// isStale is a change refused because the function is not what the run
// last saw: a stale RevisionId, or (PublishVersion) other code.
func isStale(err error) bool {
	if faults.IsPreconditionFailed(err) {
		return true
	}
	_, msg, ok := faults.APIError(err)
	return ok && strings.Contains(msg, "CodeSHA256") && strings.Contains(msg, "different")
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
