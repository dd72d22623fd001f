package lambdaops

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// slowFirstPoll answers every GetFunction with $LATEST settled at 128 MB,
// the first one only once release is closed.
type slowFirstPoll struct {
	awsapi.LambdaAPI
	calls   atomic.Int32
	release chan struct{}
}

func (l *slowFirstPoll) GetFunction(ctx context.Context, _ *lambda.GetFunctionInput, _ ...func(*lambda.Options)) (*lambda.GetFunctionOutput, error) {
	if l.calls.Add(1) == 1 {
		select {
		case <-l.release:
		case <-ctx.Done():
			// As an HTTP answer already on its way: it arrives anyway.
			<-l.release
		}
	}
	return &lambda.GetFunctionOutput{Configuration: &types.FunctionConfiguration{
		MemorySize: aws.Int32(128), LastUpdateStatus: types.LastUpdateStatusSuccessful, State: types.StateActive,
		RevisionId: aws.String("rev-128"),
	}}, nil
}

// A poll that answers after another one saw the update settle, when the
// run has already sent its next update, must not record the old state as
// $LATEST's: the run would take its own next change for someone else's.
func TestALatePollAnswerIsNotRecorded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := &slowFirstPoll{release: make(chan struct{})}
		l := &ledger.Ledger{}
		w := &waiter.Waiter{Settings: waiter.Settings{Min: 10 * time.Millisecond, Max: 10 * time.Millisecond, Timeout: time.Minute}, Clock: clock.Real{}}
		f := New(fake, "us-east-1", "arn:aws:lambda:us-east-1:123456789012:function:f", w, l, progress.NewStream(nil, clock.Real{}), time.Minute)

		state, err := f.WaitUpdated(context.Background(), time.Now())
		if err != nil || state.Memory != 128 {
			t.Fatalf("WaitUpdated = %+v, %v; want 128 MB settled", state, err)
		}
		if fake.calls.Load() < 2 {
			t.Fatalf("%d polls; the first must still be out when another sees the update settle", fake.calls.Load())
		}
		l.Updating(ledger.LatestState{Memory: 512}) // the run's next update goes out
		close(fake.release)
		synctest.Wait()

		if now, known := l.Latest(); known {
			t.Errorf("after a late answer the ledger knows $LATEST as %+v; want it unknown until the 512 MB update settles", now)
		}
		if rev := f.lastRevision(); rev == nil || *rev != "rev-128" {
			t.Errorf("revision = %v, want the settled poll's rev-128", rev)
		}
	})
}
