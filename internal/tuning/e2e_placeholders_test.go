package tuning

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// echoes records what functions that echo their payload answered, by the
// function and qualifier invoked: what each invocation was sent.
type echoes struct {
	mu   sync.Mutex
	by   map[string][]string
	wrap func(awsapi.LambdaAPI) awsapi.LambdaAPI
}

func newEchoes() *echoes {
	e := &echoes{by: map[string][]string{}}
	e.wrap = func(l awsapi.LambdaAPI) awsapi.LambdaAPI { return &echoRecorder{LambdaAPI: l, e: e} }
	return e
}

type echoRecorder struct {
	awsapi.LambdaAPI
	e *echoes
}

func (l *echoRecorder) Invoke(ctx context.Context, in *lambda.InvokeInput, o ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	out, err := l.LambdaAPI.Invoke(ctx, in, o...)
	if err == nil {
		target := aws.ToString(in.FunctionName) + ":" + aws.ToString(in.Qualifier)
		l.e.mu.Lock()
		l.e.by[target] = append(l.e.by[target], string(out.Payload))
		l.e.mu.Unlock()
	}
	return out, err
}

// sent is what one invocation was sent.
type sent struct {
	ID   string         `json:"id"`
	Mem  string         `json:"mem"`
	Kept map[string]any `json:"kept"`
	N    any            `json:"n"`
}

func TestE2EPayloadPlaceholdersReachTheFunction(t *testing.T) {
	payload := `{"id": "${index}", "mem": "${power}", "kept": {"${index}": "$${index}"}, "n": 1}`
	tests := []struct {
		name   string
		in     spec.Input
		rounds bool // adaptive sampling ran a size past its first round
	}{
		{name: "parallel invocations", in: spec.Input{Num: 8, PowerValues: []int32{128, 512}, ParallelInvocation: true}},
		{name: "adaptive rounds", in: spec.Input{Num: 40, PowerValues: []int32{1536, 2048, 3008}, Sampling: spec.SamplingAdaptive}, rounds: true},
		{name: "architectures on copies", in: spec.Input{Num: 5, PowerValues: []int32{512, 1024}, Isolation: spec.IsolationCopies,
			Architectures: []string{"x86_64", "arm64"}, ParallelInvocation: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "echo", Environment: cpuBound(nil)})
			pre := env.addFunction(lambdasim.FunctionSpec{Name: "pre"})
			in := tt.in
			in.LambdaARN, in.Payload, in.PayloadPlaceholders, in.PreProcessorARN = arn, &payload, true, pre
			rec := newEchoes()
			rep, err := env.engine(func(c *Config) { c.Clients = wrappedClients{env.clients, rec.wrap} }).Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			var tuned, preProcessed []string // "power/index" of every invocation
			longest := 0
			for target, answers := range rec.by {
				if target == pre+":" {
					preProcessed = numbering(t, target, answers)
					continue
				}
				numbers := numbering(t, target, answers)
				checkIndices(t, target, numbers)
				tuned = append(tuned, numbers...)
				longest = max(longest, len(answers))
			}
			invocations := 0
			for _, res := range rep.Results {
				invocations += res.Invocations
			}
			slices.Sort(tuned)
			slices.Sort(preProcessed)
			if len(tuned) != invocations || !slices.Equal(tuned, preProcessed) {
				t.Errorf("tuned invocations were sent %v, the pre-processor %v; want the same, one per invocation the report counts (%d)",
					tuned, preProcessed, invocations)
			}
			if tt.rounds && longest <= adaptiveRound {
				t.Errorf("no size ran past its first round (%d invocations at most): the test shows nothing about rounds", longest)
			}
		})
	}
}

// numbering reads "power/index" from each echoed payload, checking that
// the rest of it arrived as written.
func numbering(t *testing.T, target string, answers []string) []string {
	t.Helper()
	var out []string
	for _, a := range answers {
		var got sent
		if err := json.Unmarshal([]byte(a), &got); err != nil {
			t.Fatalf("%s answered %s: %v", target, a, err)
		}
		if got.Kept["${index}"] != "${index}" || got.N != float64(1) {
			t.Errorf("%s was sent %s: want the key and the escaped text kept, n untouched", target, a)
		}
		out = append(out, got.Mem+"/"+got.ID)
	}
	return out
}

// checkIndices checks that one size's invocations were sent its power and
// the indices 0..n-1, once each.
func checkIndices(t *testing.T, target string, numbers []string) {
	t.Helper()
	var ids []int
	powers := map[string]bool{}
	for _, n := range numbers {
		power, index, _ := strings.Cut(n, "/")
		id, err := strconv.Atoi(index)
		if err != nil {
			t.Errorf("%s was sent index %q", target, index)
		}
		ids = append(ids, id)
		powers[power] = true
	}
	slices.Sort(ids)
	for i, id := range ids {
		if id != i {
			t.Errorf("%s was sent indices %v, want 0..%d once each", target, ids, len(ids)-1)
			break
		}
	}
	qualifier := target[strings.LastIndex(target, ":")+1:]
	for power := range powers {
		if len(powers) != 1 || (qualifier != "" && qualifier != "RAM"+power) {
			t.Errorf("%s was sent powers %v, want its own only", target, powers)
		}
	}
}
