package awsclient

import (
	"errors"
	"net"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Unreachable reports whether err is a refused connection or a host name
// that does not resolve: nothing is listening at the endpoint, or it is
// misspelled. Retrying does not help, so the retryer gives up at once
// instead of after every attempt (25 attempts took about 3 minutes).
func Unreachable(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

// notRetriedWhenUnreachable is a retry.IsErrorRetryable that vetoes
// retrying Unreachable errors; it must come before the SDK's own checks,
// which retry every connection error.
type notRetriedWhenUnreachable struct{}

func (notRetriedWhenUnreachable) IsErrorRetryable(err error) aws.Ternary {
	if Unreachable(err) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}
