package lambdasim

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// motoLambdaClient is a Lambda client for moto with the same settings as
// the emulator's test clients.
func motoLambdaClient(base string) *lambda.Client {
	return lambda.NewFromConfig(sdkConfig("us-east-1"), func(o *lambda.Options) {
		o.BaseEndpoint = aws.String(base)
	})
}
