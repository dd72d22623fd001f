// Package awsclient builds the AWS SDK configuration and clients the
// provider hands to the engine: credentials, assumed roles, endpoints,
// retryers and connection reuse. It is the only place that knows how a
// client is made; the engine receives them behind tuning's small interfaces.
package awsclient
