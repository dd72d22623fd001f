package tuning

import "github.com/aws/aws-sdk-go-v2/aws"

// ClientOptions tune the AWS clients NewAWSClients builds.
type ClientOptions struct {
	LambdaEndpoint string // "" : AWS
	S3Endpoint     string // "" : AWS; when set, path-style addressing is used
	MaxRetries     int    // attempts for throttling and 5xx (default 25)
	RetryMode      string // "standard" (default) or "adaptive"
}

// NewAWSClients builds Clients from an aws.Config (credentials and default
// region already resolved), caching one Lambda client per region.
func NewAWSClients(cfg aws.Config, opts ClientOptions) Clients { panic("not implemented") }
