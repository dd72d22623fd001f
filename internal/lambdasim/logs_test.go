package lambdasim

import (
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim/mototest"
)

func logsClient(base string) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(sdkConfig("us-east-1"), func(o *cloudwatchlogs.Options) {
		o.BaseEndpoint = aws.String(base)
	})
}

func describeGroups(t *testing.T, c *cloudwatchlogs.Client) []string {
	t.Helper()
	out, err := c.DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/lambda/")})
	if err != nil {
		t.Fatalf("DescribeLogGroups: %v", err)
	}
	var names []string
	for _, g := range out.LogGroups {
		names = append(names, aws.ToString(g.LogGroupName))
	}
	return names
}

func TestLogGroupAppearsOnFirstInvocationAndDeleteLogGroupRemovesIt(t *testing.T) {
	s, lam := startWith(t, Options{}, FunctionSpec{Name: "fn"}, FunctionSpec{Name: "idle"})
	logs := logsClient(s.URL())
	if got := describeGroups(t, logs); len(got) != 0 {
		t.Fatalf("log groups before any invocation = %v, want none", got)
	}
	if _, err := lam.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	if got := describeGroups(t, logs); !slices.Equal(got, []string{"/aws/lambda/fn"}) {
		t.Fatalf("log groups after invoking fn = %v, want [/aws/lambda/fn]", got)
	}
	// Deleting the function leaves its group, as on AWS.
	if _, err := lam.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	if got := s.LogGroups(""); !slices.Equal(got, []string{"/aws/lambda/fn"}) {
		t.Fatalf("log groups after DeleteFunction = %v, want the group kept", got)
	}
	if _, err := logs.DeleteLogGroup(ctx(t), &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/aws/lambda/fn")}); err != nil {
		t.Fatalf("DeleteLogGroup: %v", err)
	}
	if got := s.LogGroups(""); len(got) != 0 {
		t.Errorf("log groups after DeleteLogGroup = %v, want none", got)
	}
	_, err := logs.DeleteLogGroup(ctx(t), &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/aws/lambda/fn")})
	wantAPIError(t, err, http.StatusBadRequest, "ResourceNotFoundException", "The specified log group does not exist.")
}

func TestDeleteLogGroupFaultsAnswerAsCloudWatchLogs(t *testing.T) {
	s := startServer(t, Options{})
	s.InjectFault(Fault{Operation: "DeleteLogGroup", Count: 1, Status: 400, Code: "AccessDeniedException", Message: "not authorized"})
	_, err := logsClient(s.URL()).DeleteLogGroup(ctx(t), &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/aws/lambda/x")})
	wantAPIError(t, err, http.StatusBadRequest, "AccessDeniedException", "not authorized")
}

// TestMotoLogsConformance cross-checks DeleteLogGroup's answers against
// moto_server: a group that exists is deleted (and no longer listed), one
// that does not is 400 ResourceNotFoundException with the same message.
// The emulator makes groups only as Lambda does (first invocation), moto
// through CreateLogGroup.
func TestMotoLogsConformance(t *testing.T) {
	base := mototest.Start(t)
	moto := logsClient(base)
	if _, err := moto.CreateLogGroup(ctx(t), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/aws/lambda/fn")}); err != nil {
		t.Fatalf("moto CreateLogGroup: %v", err)
	}
	s, lam := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	if _, err := lam.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	sim := logsClient(s.URL())

	for name, c := range map[string]*cloudwatchlogs.Client{"moto": moto, "emulator": sim} {
		t.Run(name, func(t *testing.T) {
			if got := describeGroups(t, c); !slices.Equal(got, []string{"/aws/lambda/fn"}) {
				t.Fatalf("groups = %v, want [/aws/lambda/fn]", got)
			}
			if _, err := c.DeleteLogGroup(ctx(t), &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/aws/lambda/fn")}); err != nil {
				t.Fatalf("DeleteLogGroup: %v", err)
			}
			if got := describeGroups(t, c); len(got) != 0 {
				t.Errorf("groups after DeleteLogGroup = %v, want none", got)
			}
			_, err := c.DeleteLogGroup(ctx(t), &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/aws/lambda/fn")})
			wantAPIError(t, err, http.StatusBadRequest, "ResourceNotFoundException", "The specified log group does not exist.")
		})
	}
}
