package inplace

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
)

// checkInvocable refuses, before any change and in seconds, a function
// whose every invocation would fail: reserved concurrency 0 throttles them
// all, a Failed function runs nothing, an Inactive one must be woken first.
// What GetFunction already said tells, at no extra call.
func (t *Target) checkInvocable(ctx context.Context) error {
	out, err := t.fn.Await(ctx)
	if err != nil {
		return err
	}
	name := t.fn.ARN()
	if c := out.Concurrency; c != nil && c.ReservedConcurrentExecutions != nil && *c.ReservedConcurrentExecutions == 0 {
		return &faults.NotInvocableError{Function: name, Cause: "its reserved concurrency is 0, so Lambda throttles every invocation",
			Fix: fmt.Sprintf("Remove the limit while it is tuned (aws lambda delete-function-concurrency --function-name %s) or give it at least max_concurrency, "+
				"or tune copies, which have no reserved concurrency (isolation = \"copies\").", name)}
	}
	switch c := out.Configuration; c.State {
	case types.StateFailed:
		return &faults.NotInvocableError{Function: name,
			Cause: fmt.Sprintf("its state is Failed (%s: %s)", c.StateReasonCode, aws.ToString(c.StateReason)),
			Fix:   "Fix what the reason names (a deleted subnet, role or KMS key, for example) and update the function until it is Active, then run the tuning again."}
	case types.StateInactive:
		return &faults.NotInvocableError{Function: name, Cause: "its state is Inactive (it has not been invoked for weeks)",
			Fix: "Invoke it once, wait until it is Active again, then run the tuning."}
	}
	return nil
}
