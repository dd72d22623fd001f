package tuning

import (
	"context"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
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

// chooseInvoker is the one place that looks at invoke_mode.
func (r *run) chooseInvoker() invoker {
	buffered, streamed := bufferedInvoker{r}, streamInvoker{r}
	switch r.in.InvokeMode {
	case spec.InvokeModeBuffered:
		return buffered
	case spec.InvokeModeStream:
		return streamed
	}
	return buffered
}

// invokedAs says an invoke mode as an adjective, for the result's sentence.
func invokedAs(mode string) string {
	if mode == spec.InvokeModeStream {
		return "streamed"
	}
	return mode
}
