package tuning

import (
	"fmt"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

// responseTooLarge fails the run on a buffered response over the limit:
// the function ran, but nothing it returns can be read that way.
func responseTooLarge(at target.Invocable, power int32, fe *faults.FunctionError) error {
	return &faults.StepError{Operation: "Invoke", Function: at.Function, Power: power,
		Err: fmt.Errorf("%w: %s returned more than the %d bytes a buffered invocation may return (%s: %s). "+
			"Set invoke_mode = \"stream\" to read responses of up to 200 MB with InvokeWithResponseStream; "+
			"invoke_mode = \"auto\" streams only when the run's first response is too large",
			faults.ErrResponseTooLarge, at.Label, bufferedResponseLimit, fe.ErrorType, fe.ErrorMessage)}
}

// noteStreaming tells that invoke_mode "auto" streams the run. The
// refused buffered attempt started an execution environment, so its
// streamed repeat runs warm: a cold-start run is told it lost one.
func (r *run) noteStreaming(call invocation) {
	r.events.Note(call.power, "invoke_mode auto: the response of %s is larger than the %d bytes a buffered invocation may return, "+
		"so every invocation of the run is streamed (InvokeWithResponseStream); this one is made again streamed and counted once",
		call.at.Label, bufferedResponseLimit)
	if r.in.OnlyColdStarts {
		r.warn(fmt.Sprintf("With only_cold_starts, the first invocation of %s went out buffered before invoke_mode \"auto\" switched the run "+
			"to streaming: that attempt started the execution environment, so its streamed repeat measured no cold start. "+
			"Set invoke_mode = \"stream\" to measure every cold start streamed.", call.at.Label))
	}
}

// warnOfThrottledStreams warns when streamed responses are larger than
// the part Lambda sends at full speed: past it the stream runs at about
// 2 MiB/s whatever the memory size, and the REPORT duration counts that
// time, so durations measure the network more than memory.
func (r *run) warnOfThrottledStreams(mode string, results []analysis.PowerResult) {
	t, ok := analysis.Throttling(results)
	if mode != spec.InvokeModeStream || !ok {
		return
	}
	share := fmt.Sprintf("%.0f %%", 100*t.HighShare)
	if t.HighShare-t.LowShare >= 0.005 {
		share = fmt.Sprintf("%.0f %% to %.0f %%", 100*t.LowShare, 100*t.HighShare)
	}
	r.warn(fmt.Sprintf("The function's streamed responses average %.1f MiB (%d bytes). Lambda sends the first 6 MiB of a streamed response "+
		"as fast as the function writes it and the rest at about 2 MiB/s, whatever the memory size, and the REPORT duration runs to the last byte: "+
		"about %.0f ms of each invocation, %s of the average duration depending on the memory size, is that transfer. Memory size changes little "+
		"of it, so durations and costs differ less between memory sizes than the function's own work does; to compare the work itself, tune with a "+
		"payload that makes a response under 6 MiB.",
		float64(t.MeanResponseBytes)/(1<<20), t.MeanResponseBytes, t.ThrottledMs, share))
}
