// Command lambdasim serves the local AWS Lambda (and minimal S3) emulator
// until it is interrupted, so the AWS CLI, Terraform and any SDK can be
// pointed at it. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lambdasim:", err)
		}
		os.Exit(2)
	}
}

// faultFlags collects repeated -fault flags.
type faultFlags []lambdasim.Fault

func (f *faultFlags) String() string { return fmt.Sprint(len(*f), " faults") }

func (f *faultFlags) Set(spec string) error {
	fault, err := lambdasim.ParseFault(spec)
	if err != nil {
		return err
	}
	*f = append(*f, fault)
	return nil
}

// settings are the parsed command line.
type settings struct {
	opts    lambdasim.Options
	addr    string
	config  string
	verbose bool
	faults  faultFlags
}

// parseArgs reads the command line into settings.
func parseArgs(args []string, stderr io.Writer) (*settings, error) {
	fs := flag.NewFlagSet("lambdasim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		st    settings
		opts  = &st.opts
		quota = fs.Int("memory-quota", 10240, "largest MemorySize the account accepts (e.g. 3008 for a new account)")
	)
	fs.StringVar(&st.addr, "addr", "127.0.0.1:9001", "address to listen on (port 0 picks a free one)")
	fs.StringVar(&st.config, "config", "", "preload file (JSON): capacity providers, functions, S3 objects, denied buckets, faults")
	fs.BoolVar(&st.verbose, "log", false, "log one line per request to stderr")
	fs.StringVar(&opts.Region, "region", "us-east-1", "region used when a request carries none")
	fs.StringVar(&opts.AccountID, "account-id", "123456789012", "account ID in ARNs")
	fs.Int64Var(&opts.Seed, "seed", 1, "seed for every simulated measurement and ID")
	fs.Float64Var(&opts.TimeScale, "time-scale", 0, "0 answers at once with realistic reported durations; 1 takes them for real")
	fs.DurationVar(&opts.UpdateDelay, "update-delay", time.Second, "time an update (or a create) takes to become Successful")
	fs.DurationVar(&opts.PublishDelay, "publish-delay", 0, "time added to each PublishVersion")
	fs.DurationVar(&opts.SnapStartDelay, "snapstart-delay", 2*time.Second, "time a SnapStart version stays Pending")
	fs.DurationVar(&opts.CapacityProviderDelay, "capacity-provider-delay", 0, "time a capacity provider created through the API stays Pending")
	fs.DurationVar(&opts.ManagedVersionDelay, "managed-version-delay", 0, "time a published version of a function on a capacity provider stays Pending while its execution environments start")
	fs.DurationVar(&opts.ManagedScaleDelay, "managed-scale-delay", 0, "time a managed-instances fleet takes to add execution environments once all are full")
	fs.DurationVar(&opts.ControlPlaneLatency, "control-plane-latency", 0, "real time added before answering each Lambda API call but Invoke and InvokeWithResponseStream (AWS: tens to a few hundred ms, typically 50-150ms in-Region)")
	fs.Float64Var(&opts.DelayJitter, "delay-jitter", 0, "spread each update, publish, SnapStart and control-plane delay by up to this fraction either way (0..1, seeded)")
	fs.IntVar(&opts.AccountConcurrency, "account-concurrency", 1000, "concurrent invocations allowed across the account")
	fs.BoolVar(&opts.EnforceQuotas, "enforce-quotas", false, "refuse control-plane calls beyond Lambda's request-rate quotas with 429 TooManyRequestsException, as AWS does")
	fs.IntVar(&opts.GetFunctionQuota, "getfunction-quota", lambdasim.AWSGetFunctionQuota, "GetFunction calls per second per region, with -enforce-quotas")
	fs.IntVar(&opts.ControlQuota, "control-quota", lambdasim.AWSControlQuota, "calls per second per region that every other control-plane operation shares, with -enforce-quotas")
	fs.Var(&st.faults, "fault", `inject a fault, repeatable: "op=Invoke,status=429,count=3", "op=*,rate=0.05,status=503", "op=Invoke,drop,count=1", "op=PublishVersion,delay=2s"`)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if opts.ControlPlaneLatency < 0 {
		return nil, fmt.Errorf("-control-plane-latency %s is negative", opts.ControlPlaneLatency)
	}
	if opts.CapacityProviderDelay < 0 || opts.ManagedVersionDelay < 0 || opts.ManagedScaleDelay < 0 {
		return nil, fmt.Errorf("-capacity-provider-delay, -managed-version-delay and -managed-scale-delay must not be negative")
	}
	if opts.DelayJitter < 0 || opts.DelayJitter > 1 {
		return nil, fmt.Errorf("-delay-jitter %v is outside 0..1", opts.DelayJitter)
	}
	if opts.GetFunctionQuota < 1 || opts.ControlQuota < 1 {
		return nil, fmt.Errorf("-getfunction-quota and -control-quota must be at least 1")
	}
	opts.MemoryQuota = int32(*quota)
	if st.verbose {
		logger := log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)
		opts.Logf = logger.Printf
	}
	return &st, nil
}

// run parses flags, starts the emulator, prints its URL as the first line
// of stdout and serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	st, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	var preload lambdasim.Config
	if st.config != "" {
		c, err := lambdasim.LoadConfig(st.config)
		if err != nil {
			return err
		}
		preload = c
	}
	preload.Faults = append(preload.Faults, st.faults...)

	srv, err := lambdasim.Listen(st.addr, st.opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.Apply(preload); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "lambdasim listening on %s\n", srv.URL())
	for _, f := range preload.Functions {
		fmt.Fprintf(stdout, "  function %s (%d MB)\n", f.Name, max(f.MemorySize, 128))
	}
	<-ctx.Done()
	return srv.Close()
}
