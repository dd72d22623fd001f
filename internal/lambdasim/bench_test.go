package lambdasim

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// BenchmarkInvoke measures the emulator's own cost per invocation: through
// the real SDK over loopback HTTP, and straight through ServeHTTP.
func BenchmarkInvoke(b *testing.B) {
	spec := FunctionSpec{Name: "bench", MemorySize: 1024, Environment: map[string]string{"SIM_CPU_MS": "200", "SIM_NOISE": "0.05"}}

	b.Run("sdk", func(b *testing.B) {
		_, c := startWith(b, Options{}, spec)
		in := &lambda.InvokeInput{FunctionName: aws.String("bench"), LogType: "Tail", Payload: []byte(`{"n":1}`)}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Invoke(context.Background(), in); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invocations/s")
	})

	b.Run("handler", func(b *testing.B) {
		s := New(Options{})
		if _, err := s.AddFunction(spec); err != nil {
			b.Fatal(err)
		}
		payload := []byte(`{"n":1}`)
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(http.MethodPost, "/2015-03-31/functions/bench/invocations", bytes.NewReader(payload))
			req.Header.Set("X-Amz-Log-Type", "Tail")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invocations/s")
	})
}

// TestManyParallelInvocationsThroughTheSDK checks that the emulator counts
// every one of many concurrent invocations on reused connections; its speed
// is BenchmarkInvoke's business.
func TestManyParallelInvocationsThroughTheSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	s, c := startWith(t, Options{}, FunctionSpec{Name: "fn", Environment: map[string]string{"SIM_CPU_MS": "100"}})
	const total, workers = 4000, 20
	jobs := make(chan struct{})
	errs := make(chan error, workers)
	start := time.Now()
	for range workers {
		go func() {
			var firstErr error
			for range jobs {
				_, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("fn"), LogType: "Tail", Payload: []byte(`{}`)})
				if err != nil && firstErr == nil {
					firstErr = err
				}
			}
			errs <- firstErr
		}()
	}
	for range total {
		jobs <- struct{}{}
	}
	close(jobs)
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	t.Logf("%d invocations through the SDK in %s", total, elapsed.Round(time.Millisecond))
	if got := s.Stats().Invocations; got != total {
		t.Errorf("Invocations = %d, want %d", got, total)
	}
}
