package tuning

import (
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Reads outside a run (refresh, import, the report data source) retry
// briefly: a plan should not hang for minutes on throttling a run would wait
// out. Three attempts with the client's backoff: a few seconds at most.
const readAttempts = 3

func shortLambdaRetries(o *lambda.Options) {
	o.Retryer = retry.AddWithMaxAttempts(o.Retryer, readAttempts)
}

func shortS3Retries(o *s3.Options) { o.Retryer = retry.AddWithMaxAttempts(o.Retryer, readAttempts) }
