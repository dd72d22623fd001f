package tuning

import (
	"context"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

// invoker makes one invocation of a size's alias or copy and reads its
// answer, buffered or streamed. A run chooses one (chooseInvoker) and
// measures every size with it.
type invoker interface {
	invoke(ctx context.Context, call invocation) (answer, error)
	// mode is how the run's invocations are read: spec.InvokeModeBuffered
	// or spec.InvokeModeStream.
	mode() string
}

// invocation is one call of the tuned function.
type invocation struct {
	at      target.Invocable
	power   int32
	payload []byte // after placeholders and the pre-processor
}

// answer is what one invocation returned, however it was read. A failed
// call is an error instead: it measured nothing.
type answer struct {
	operation string  // the API call: "Invoke" or "InvokeWithResponseStream"
	logResult *string // the base64 log tail with the REPORT line
	failure   *faults.FunctionError
	// overBufferedLimit: failure is Lambda refusing a response larger than a
	// buffered invocation may return; the function itself ran.
	overBufferedLimit bool
	payload           []byte // the response (streamed: kept only for a post-processor)
	responseBytes     int64
	firstByteMs       float64 // streamed: from the request to the first byte
}

// Response sizes Lambda limits, in bytes.
const (
	// bufferedResponseLimit is the most a buffered invocation returns
	// (Lambda's "6 MB", as its error message counts it).
	bufferedResponseLimit = 6291556
	// invokeRequestLimit is the most an Invoke request carries: a larger
	// response cannot be handed to the post-processor.
	invokeRequestLimit = 6291456
	// errResponseTooLarge is the error type of a response over the limit.
	errResponseTooLarge = "Function.ResponseSizeTooLarge"
)
