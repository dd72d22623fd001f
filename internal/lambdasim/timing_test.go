package lambdasim

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// Lower bounds only: the emulator must take at least the scaled time; how
// much longer a loaded machine takes does not matter.
func TestTimeScaleTakesTheScaledTime(t *testing.T) {
	_, c := startWith(t, Options{TimeScale: 0.1}, FunctionSpec{Name: "fn", MemorySize: 1769, Environment: map[string]string{"SIM_IO_MS": "300", "SIM_INIT_MS": "0"}})
	start := time.Now()
	_, log := invokeTail(t, c, "fn", "", "{}")
	elapsed := time.Since(start)
	rep := parseReport(t, reportLine(t, log))
	if want := time.Duration(rep.duration * 0.1 * float64(time.Millisecond)); elapsed < want {
		t.Errorf("took %s, want at least a tenth of %.2f ms", elapsed, rep.duration)
	}
}

func TestPublishDelay(t *testing.T) {
	_, c := startWith(t, Options{PublishDelay: 40 * time.Millisecond}, FunctionSpec{Name: "fn"})
	start := time.Now()
	if _, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 40*time.Millisecond {
		t.Errorf("PublishVersion took %s, want at least 40ms", elapsed)
	}
}

func TestLogfGetsOneLinePerRequest(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	logf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}
	_, c := startWith(t, Options{Logf: logf}, FunctionSpec{Name: "fn"})
	_, _ = c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("missing")})
	if _, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	// The line is written after the answer, so the client may see it first.
	waitFor(t, "two log lines", func() bool { mu.Lock(); defer mu.Unlock(); return len(lines) >= 2 })
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 2 || !strings.Contains(lines[0], "GetFunction GET") || !strings.Contains(lines[0], "-> 404") || !strings.Contains(lines[1], "Invoke POST") {
		t.Errorf("log lines = %q", lines)
	}
}
