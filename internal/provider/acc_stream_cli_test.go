package provider

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// Large responses and payload placeholders through the real CLI.

// eightMB is a response past the buffered limit (6,291,556 bytes).
const eightMB = 8 << 20

// streamOutputs reports what a run says of how it invoked.
const streamOutputs = `
output "invoke_mode_used" {
  value = awspowertuning_run.test.invoke_mode_used
}
output "results" {
  value = [for r in awspowertuning_run.test.results : { power = r.power, ttfb = r.time_to_first_byte, bytes = r.response_bytes }]
}
`

type streamedRow struct {
	Power int64    `json:"power"`
	TTFB  *float64 `json:"ttfb"`
	Bytes int64    `json:"bytes"`
}

func TestAccLargeResponsesAreStreamed(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	proxy := env.recordRequests(t)
	h := newCLIHarness(t)
	arn, err := env.sim.AddFunction(lambdasim.FunctionSpec{Name: "large", MemorySize: accMemory, Timeout: 30,
		Environment: map[string]string{"SIM_CPU_MS": "50", "SIM_RESPONSE_BYTES": strconv.Itoa(eightMB)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, mode string
		buffered   int // buffered invocations the run makes before it streams
	}{
		{"stream", `invoke_mode = "stream"`, 0},
		{"auto by default", "", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			proxy.forget()
			dir := h.workdir(t, runConfig(env, arn, "power_values = [256, 512]\n  "+tt.mode)+streamOutputs)
			var out bytes.Buffer
			if err := h.apply(dir, &out).Run(); err != nil {
				t.Fatalf("apply: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "6 MiB") {
				t.Errorf("no warning that responses past 6 MiB measure the network:\n%s", out.String())
			}
			var outputs struct {
				Mode    struct{ Value string }        `json:"invoke_mode_used"`
				Results struct{ Value []streamedRow } `json:"results"`
			}
			if err := json.Unmarshal(cliRun(t, h, dir, "output", "-json"), &outputs); err != nil {
				t.Fatal(err)
			}
			if outputs.Mode.Value != "stream" {
				t.Errorf("invoke_mode_used = %q, want stream", outputs.Mode.Value)
			}
			if len(outputs.Results.Value) != 2 {
				t.Fatalf("results %+v, want two memory sizes", outputs.Results.Value)
			}
			for _, row := range outputs.Results.Value {
				if row.TTFB == nil || *row.TTFB <= 0 || row.Bytes != eightMB {
					t.Errorf("%d MB: time_to_first_byte %v, response_bytes %d; want a time and %d bytes", row.Power, row.TTFB, row.Bytes, eightMB)
				}
			}
			streamed, buffered := 0, 0
			for _, r := range invocationsOf(proxy, "large") {
				switch {
				case strings.HasSuffix(r.path, "/response-streaming-invocations"):
					streamed++
				case strings.HasSuffix(r.path, "/invocations"):
					buffered++
				}
			}
			if streamed != 10 || buffered != tt.buffered {
				t.Errorf("%d streamed and %d buffered invocations, want 10 and %d", streamed, buffered, tt.buffered)
			}
		})
	}
	t.Run("buffered", func(t *testing.T) {
		out := applyExpectingFailure(t, h, runConfig(env, arn, "power_values = [256, 512]\n  invoke_mode = \"buffered\""))
		for _, want := range []string{"Response Too Large", "invoke_mode", `invoke_mode = "stream"`, "AWS call: Invoke", "Memory size: "} {
			if !strings.Contains(out, want) {
				t.Errorf("the buffered run does not say %q:\n%s", want, out)
			}
		}
	})
}

func TestAccPayloadPlaceholdersMakeEachInvocationDistinct(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	proxy := env.recordRequests(t)
	h := newCLIHarness(t)
	arn, err := env.sim.AddFunction(lambdasim.FunctionSpec{Name: "orders", MemorySize: accMemory, Timeout: 30, Environment: cpuBound})
	if err != nil {
		t.Fatal(err)
	}
	applyExpectingSuccess(t, h, runConfig(env, arn, `power_values = [256, 512]
  payload_placeholders = true
  payload = jsonencode({ orderId = "tuning-$${power}-$${index}", literal = "$$${index}", amount = 42 })`))
	seen := map[string]bool{}
	for _, r := range invocationsOf(proxy, "orders") {
		var body struct {
			OrderID string `json:"orderId"`
			Literal string `json:"literal"`
			Amount  int    `json:"amount"`
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatalf("invocation body %q: %v", r.body, err)
		}
		if body.Literal != "${index}" || body.Amount != 42 {
			t.Errorf("body %s: want the escaped placeholder kept as ${index} and amount 42", r.body)
		}
		seen[body.OrderID] = true
	}
	for _, power := range []string{"256", "512"} {
		for i := range 5 {
			if id := "tuning-" + power + "-" + strconv.Itoa(i); !seen[id] {
				t.Errorf("no invocation was sent orderId %s; seen %v", id, seen)
			}
		}
	}
	if len(seen) != 10 {
		t.Errorf("%d distinct orderIds, want 10: %v", len(seen), seen)
	}
}

// forget drops the requests recorded so far.
func (p *simProxy) forget() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = nil
}
