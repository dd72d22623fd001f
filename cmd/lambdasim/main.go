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

// run parses flags, starts the emulator, prints its URL as the first line
// of stdout and serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lambdasim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		opts    lambdasim.Options
		addr    = fs.String("addr", "127.0.0.1:9001", "address to listen on (port 0 picks a free one)")
		config  = fs.String("config", "", "preload file (JSON): functions, S3 objects, denied buckets, faults")
		verbose = fs.Bool("log", false, "log one line per request to stderr")
		quota   = fs.Int("memory-quota", 10240, "largest MemorySize the account accepts (e.g. 3008 for a new account)")
		faults  faultFlags
	)
	fs.StringVar(&opts.Region, "region", "us-east-1", "region used when a request carries none")
	fs.StringVar(&opts.AccountID, "account-id", "123456789012", "account ID in ARNs")
	fs.Int64Var(&opts.Seed, "seed", 1, "seed for every simulated measurement and ID")
	fs.Float64Var(&opts.TimeScale, "time-scale", 0, "0 answers at once with realistic reported durations; 1 takes them for real")
	fs.DurationVar(&opts.UpdateDelay, "update-delay", time.Second, "time an update (or a create) takes to become Successful")
	fs.DurationVar(&opts.PublishDelay, "publish-delay", 0, "time added to each PublishVersion")
	fs.DurationVar(&opts.SnapStartDelay, "snapstart-delay", 2*time.Second, "time a SnapStart version stays Pending")
	fs.IntVar(&opts.AccountConcurrency, "account-concurrency", 1000, "concurrent invocations allowed across the account")
	fs.Var(&faults, "fault", `inject a fault, repeatable: "op=Invoke,status=429,count=3", "op=*,rate=0.05,status=503", "op=Invoke,drop,count=1", "op=PublishVersion,delay=2s"`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	opts.MemoryQuota = int32(*quota)
	if *verbose {
		logger := log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)
		opts.Logf = logger.Printf
	}

	var preload lambdasim.Config
	if *config != "" {
		c, err := lambdasim.LoadConfig(*config)
		if err != nil {
			return err
		}
		preload = c
	}
	preload.Faults = append(preload.Faults, faults...)

	srv, err := lambdasim.Listen(*addr, opts)
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
