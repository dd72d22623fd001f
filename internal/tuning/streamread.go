package tuning

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/schemas"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/transport/http/protocol/restjson1"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
)

// streamed is what one response stream carried.
type streamed struct {
	body      []byte // the chunks joined, when kept
	bytes     int64
	firstByte time.Time // when the first byte came; zero when none did
	complete  *types.InvokeWithResponseStreamCompleteEvent
}

// readStream reads a response stream to its end and closes it, keeping
// the body only when keep says so: a response may be 200 MB.
func readStream(ctx context.Context, stream *lambda.InvokeWithResponseStreamEventStream, c clock.Clock, keep bool) (streamed, error) {
	defer stream.Close()
	var got streamed
	events := stream.Events()
	for {
		var ev types.InvokeWithResponseStreamResponseEvent
		var open bool
		select {
		case ev, open = <-events:
		case <-ctx.Done():
			return got, ctx.Err()
		}
		if !open {
			break
		}
		switch v := ev.(type) {
		case *types.InvokeWithResponseStreamResponseEventMemberPayloadChunk:
			if got.firstByte.IsZero() && len(v.Value.Payload) > 0 {
				got.firstByte = c.Now()
			}
			got.bytes += int64(len(v.Value.Payload))
			if keep {
				got.body = append(got.body, v.Value.Payload...)
			}
		case *types.InvokeWithResponseStreamResponseEventMemberInvokeComplete:
			got.complete = &v.Value
		}
	}
	if err := stream.Err(); err != nil {
		return got, fmt.Errorf("reading the response stream: %w", err)
	}
	if got.complete == nil {
		return got, errors.New("the response stream ended without its InvokeComplete event")
	}
	return got, nil
}

// ownEventDecoder gives a call a protocol of its own. The SDK's protocol
// keeps its event decoder's scratch state on the client, shared by every
// stream read at the same time, and writes it without a lock on every
// event (aws/smithy-go#714): parallel streams on one client are a data
// race. A protocol per call is cheap and leaves streams independent.
func ownEventDecoder(o *lambda.Options) { o.Protocol = restjson1.New(schemas.AWSGirApiService) }

// stampLastAttempt records in sent when the call's last attempt went out,
// after the SDK's retries and their backoff, so that time to first byte
// counts neither.
func stampLastAttempt(c clock.Clock, sent *time.Time) func(*lambda.Options) {
	stamp := middleware.FinalizeMiddlewareFunc("StampAttempt",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			*sent = c.Now()
			return next.HandleFinalize(ctx, in)
		})
	return func(o *lambda.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error { return stack.Finalize.Add(stamp, middleware.After) })
	}
}
