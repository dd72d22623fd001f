package awsclient

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// DefaultMaxRetries is the retry budget when neither the caller nor
// AWS_MAX_ATTEMPTS sets one: parallel invocations get throttled, and the
// SDK's default of 3 attempts gives up far too early for a tuner.
const DefaultMaxRetries = 25

// ConfigOptions are the provider-level AWS settings. Empty fields fall back
// to the SDK's own sources: environment variables, then shared config files.
type ConfigOptions struct {
	Region                 string
	Profile                string
	SharedConfigFiles      []string
	SharedCredentialsFiles []string
	// AccessKey and SecretKey (and optional Token) replace the default
	// credential chain with static credentials.
	AccessKey string
	SecretKey string
	Token     string
	// AssumeRole, when set, wraps the base credentials in an STS AssumeRole
	// provider. Nothing is called until the first AWS request needs them.
	AssumeRole *AssumeRoleOptions
	// MaxRetries is the attempt budget; 0 means AWS_MAX_ATTEMPTS, else DefaultMaxRetries.
	MaxRetries int
	// RetryMode is "standard" or "adaptive"; "" means AWS_RETRY_MODE, else standard.
	RetryMode string
	// STSEndpoint overrides the STS endpoint used by AssumeRole (emulators, LocalStack).
	STSEndpoint string
	// Getenv reads environment variables the SDK does not read by itself
	// (AWS_DEFAULT_REGION); nil means os.Getenv. Tests inject a map.
	Getenv func(string) string
}

// AssumeRoleOptions mirror the AWS provider's assume_role block.
type AssumeRoleOptions struct {
	RoleARN     string
	SessionName string // "": a name derived from the current time
	ExternalID  string
	Duration    time.Duration // 0: the SDK default (15 minutes)
	Policy      string
	PolicyARNs  []string
	Tags        map[string]string
}

// LoadConfig resolves region, credentials and retry settings without
// calling AWS: credentials, assumed roles included, are fetched lazily on the
// first request and cached, so a local emulator can answer everything.
func LoadConfig(ctx context.Context, opts ConfigOptions) (aws.Config, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}

	var loadOpts []func(*config.LoadOptions) error
	if region := resolveRegion(opts.Region, getenv); region != "" {
		loadOpts = append(loadOpts, config.WithRegion(region))
	}
	if opts.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(opts.Profile))
	}
	if len(opts.SharedConfigFiles) > 0 {
		loadOpts = append(loadOpts, config.WithSharedConfigFiles(opts.SharedConfigFiles))
	}
	if len(opts.SharedCredentialsFiles) > 0 {
		loadOpts = append(loadOpts, config.WithSharedCredentialsFiles(opts.SharedCredentialsFiles))
	}
	if opts.AccessKey != "" || opts.SecretKey != "" {
		if opts.AccessKey == "" || opts.SecretKey == "" {
			return aws.Config{}, fmt.Errorf("static credentials need both an access key and a secret key")
		}
		loadOpts = append(loadOpts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(opts.AccessKey, opts.SecretKey, opts.Token)))
	}
	if opts.MaxRetries > 0 {
		loadOpts = append(loadOpts, config.WithRetryMaxAttempts(opts.MaxRetries))
	}
	if opts.RetryMode != "" {
		mode, err := aws.ParseRetryMode(opts.RetryMode)
		if err != nil {
			return aws.Config{}, fmt.Errorf("retry mode: %w", err)
		}
		loadOpts = append(loadOpts, config.WithRetryMode(mode))
	}

	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if cfg.RetryMaxAttempts == 0 {
		cfg.RetryMaxAttempts = DefaultMaxRetries
	}
	if cfg.RetryMode == "" {
		cfg.RetryMode = aws.RetryModeStandard
	}

	if opts.AssumeRole != nil {
		if opts.AssumeRole.RoleARN == "" {
			return aws.Config{}, fmt.Errorf("assume role: a role ARN is required")
		}
		stsClient := sts.NewFromConfig(cfg, func(o *sts.Options) {
			if opts.STSEndpoint != "" {
				o.BaseEndpoint = aws.String(opts.STSEndpoint)
			}
		})
		cfg.Credentials = aws.NewCredentialsCache(
			stscreds.NewAssumeRoleProvider(stsClient, opts.AssumeRole.RoleARN, opts.AssumeRole.apply))
	}
	return cfg, nil
}

// resolveRegion adds AWS_DEFAULT_REGION, which the SDK ignores but the AWS CLI
// and the AWS provider honour, below an explicit region and AWS_REGION.
func resolveRegion(explicit string, getenv func(string) string) string {
	if explicit != "" {
		return explicit
	}
	if getenv("AWS_REGION") != "" {
		return "" // the SDK reads it itself
	}
	return getenv("AWS_DEFAULT_REGION")
}

func (a *AssumeRoleOptions) apply(o *stscreds.AssumeRoleOptions) {
	if a.SessionName != "" {
		o.RoleSessionName = a.SessionName
	}
	if a.ExternalID != "" {
		o.ExternalID = aws.String(a.ExternalID)
	}
	if a.Duration > 0 {
		o.Duration = a.Duration
	}
	if a.Policy != "" {
		o.Policy = aws.String(a.Policy)
	}
	for _, arn := range a.PolicyARNs {
		o.PolicyARNs = append(o.PolicyARNs, ststypes.PolicyDescriptorType{Arn: aws.String(arn)})
	}
	// Sorted so the AssumeRole request is the same on every run.
	for _, k := range slices.Sorted(maps.Keys(a.Tags)) {
		o.Tags = append(o.Tags, ststypes.Tag{Key: aws.String(k), Value: aws.String(a.Tags[k])})
	}
}
