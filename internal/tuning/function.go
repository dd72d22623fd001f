package tuning

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// Function is what a report says about the tuned function.
type Function struct {
	ARN          string // unqualified
	Region       string
	Architecture string
	CodeSha256   string
	Currency     string // of the prices in the function's Region
	MemorySize   int32  // of $LATEST: the baseline the optimum is compared with
}

// DescribeFunction resolves a lambda_arn (name, partial or full ARN) to the
// function's unqualified ARN and what its prices depend on, changing nothing.
// Runs elsewhere (a Step Functions execution) use it to report like a run.
func (e *Engine) DescribeFunction(ctx context.Context, lambdaARN string) (Function, error) {
	region, _ := e.target(lambdaARN)
	out, err := e.cfg.Clients.Lambda(region).GetFunction(ctx, &lambda.GetFunctionInput{
		FunctionName: aws.String(lambdaARN),
		Qualifier:    aws.String(latestQualifier),
	})
	if err == nil && out.Configuration == nil {
		err = errors.New("the answer has no configuration")
	}
	if err != nil {
		return Function{}, &StepError{Operation: "GetFunction", Function: lambdaARN, Err: err}
	}
	c := out.Configuration
	f := Function{
		ARN:          unqualifiedARN(aws.ToString(c.FunctionArn)),
		Region:       region,
		Architecture: string(types.ArchitectureX8664),
		CodeSha256:   aws.ToString(c.CodeSha256),
		MemorySize:   aws.ToInt32(c.MemorySize),
	}
	if len(c.Architectures) > 0 {
		f.Architecture = string(c.Architectures[0])
	}
	f.Currency = e.cfg.Prices.Lookup(f.Region, f.Architecture).Currency
	return f, nil
}
