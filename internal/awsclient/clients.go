package awsclient

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// ClientOptions tune the AWS clients New builds.
type ClientOptions struct {
	LambdaEndpoint string // "" : AWS
	S3Endpoint     string // "" : AWS; when set, path-style addressing is used
	SFNEndpoint    string // "" : AWS (Step Functions)
	LogsEndpoint   string // "" : AWS (CloudWatch Logs: the log groups of copies)
	MaxRetries     int    // attempts for throttling and 5xx (default 25)
	RetryMode      string // "standard" (default) or "adaptive"
	// MaxBackoff caps the jittered delay between attempts (0: the SDK's 20 s).
	// Tests against an emulator set a few milliseconds.
	MaxBackoff time.Duration
	// Rates are the request budgets every Lambda client of these Clients
	// shares (per Region).
	Rates RequestRates
}

// maxIdleConnsPerHost keeps parallel invocations on reused connections: the
// SDK's default of 10 would open and close a connection per invocation
// beyond that and run out of ephemeral ports on large runs.
const maxIdleConnsPerHost = 512

// New builds Clients from an aws.Config (credentials and default
// region already resolved), caching one Lambda client per region.
func New(cfg aws.Config, opts ClientOptions) *Clients {
	cfg = cfg.Copy()
	cfg.Retryer = newRetryer(opts)
	cfg.HTTPClient = requestWrittenFirst{withConnectionReuse(cfg.HTTPClient)}
	return &Clients{cfg: cfg, opts: opts, budgets: newBudgets(opts.Rates), lambdas: map[string]*lambda.Client{}, sfns: map[string]*sfn.Client{}, logs: map[string]*cloudwatchlogs.Client{}}
}

// withConnectionReuse raises the idle-connection limits of the SDK's own
// HTTP client; a client the caller built is left alone.
func withConnectionReuse(client aws.HTTPClient) aws.HTTPClient {
	buildable, ok := client.(*awshttp.BuildableClient)
	switch {
	case client == nil:
		buildable = awshttp.NewBuildableClient()
	case !ok:
		return client
	}
	return buildable.WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = 0 // no global cap; the per-host one applies
		t.MaxIdleConnsPerHost = maxIdleConnsPerHost
	})
}

// newRetryer retries throttling and 5xx with jittered exponential backoff.
// The client-side retry quota is disabled (ratelimit.None): a throttling
// storm during parallel invocations would otherwise drain it and turn
// retryable 429s into failures.
func newRetryer(opts ClientOptions) func() aws.Retryer {
	attempts := opts.MaxRetries
	if attempts <= 0 {
		attempts = DefaultMaxRetries
	}
	standard := func(o *retry.StandardOptions) {
		o.MaxAttempts = attempts
		o.RateLimiter = ratelimit.None
		o.Retryables = append([]retry.IsErrorRetryable{notRetriedWhenUnreachable{}}, o.Retryables...)
		if opts.MaxBackoff > 0 {
			o.MaxBackoff = opts.MaxBackoff
		}
	}
	if strings.EqualFold(opts.RetryMode, string(aws.RetryModeAdaptive)) {
		return func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, standard)
			})
		}
	}
	return func() aws.Retryer { return retry.NewStandard(standard) }
}

// Clients hands out SDK clients; Lambda, Step Functions and CloudWatch Logs
// clients are built once per region.
type Clients struct {
	cfg     aws.Config
	opts    ClientOptions
	budgets *budgets

	mu      sync.Mutex
	lambdas map[string]*lambda.Client
	sfns    map[string]*sfn.Client
	logs    map[string]*cloudwatchlogs.Client
	s3      *s3.Client
}

func (c *Clients) DefaultRegion() string { return c.cfg.Region }

// HTTPClient is the HTTP client every AWS client of c sends with (proxy and
// CA settings of the AWS configuration included), for plain downloads such
// as a function package from its presigned URL.
func (c *Clients) HTTPClient() aws.HTTPClient { return c.cfg.HTTPClient }

func (c *Clients) Lambda(region string) *lambda.Client {
	return regionalClient(c, c.lambdas, region, func(region string) *lambda.Client {
		budget := c.budgets.region(region)
		return lambda.NewFromConfig(c.cfg, func(o *lambda.Options) {
			o.Region = region
			o.APIOptions = append(o.APIOptions, budget.addTo)
			if c.opts.LambdaEndpoint != "" {
				o.BaseEndpoint = aws.String(c.opts.LambdaEndpoint)
			}
		})
	})
}

// regionalClient is cache's client for region ("": the default one), built
// by build on first use.
func regionalClient[T any](c *Clients, cache map[string]T, region string, build func(region string) T) T {
	if region == "" {
		region = c.cfg.Region
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if client, ok := cache[region]; ok {
		return client
	}
	client := build(region)
	cache[region] = client
	return client
}

func (c *Clients) S3() *s3.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s3 == nil {
		c.s3 = s3.NewFromConfig(c.cfg, func(o *s3.Options) {
			if c.opts.S3Endpoint != "" {
				o.BaseEndpoint = aws.String(c.opts.S3Endpoint)
				o.UsePathStyle = true
			}
		})
	}
	return c.s3
}

// StepFunctions is the Step Functions client of a region ("": the default
// one): a state machine runs in its own ARN's region.
func (c *Clients) StepFunctions(region string) *sfn.Client {
	return regionalClient(c, c.sfns, region, func(region string) *sfn.Client {
		return sfn.NewFromConfig(c.cfg, func(o *sfn.Options) {
			o.Region = region
			if c.opts.SFNEndpoint != "" {
				o.BaseEndpoint = aws.String(c.opts.SFNEndpoint)
			}
		})
	})
}

// Logs is the CloudWatch Logs client of a region ("": the default one):
// a copy's log group is in its function's region.
func (c *Clients) Logs(region string) *cloudwatchlogs.Client {
	return regionalClient(c, c.logs, region, func(region string) *cloudwatchlogs.Client {
		return cloudwatchlogs.NewFromConfig(c.cfg, func(o *cloudwatchlogs.Options) {
			o.Region = region
			if c.opts.LogsEndpoint != "" {
				o.BaseEndpoint = aws.String(c.opts.LogsEndpoint)
			}
		})
	})
}
