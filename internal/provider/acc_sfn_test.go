package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim/mototest"
)

// accSFN is moto_server's Step Functions, executing state machines, beside
// an emulator for Lambda. moto 5.2.1 answers 500 to a second StartExecution
// in one account and Region, so every state machine of a test gets its own Region.
type accSFN struct {
	url string
}

// newAccSFN starts moto_server for one test and turns on execution.
func newAccSFN(t *testing.T) *accSFN {
	t.Helper()
	url := mototest.Start(t)
	resp, err := http.Post(url+"/moto-api/config", "application/json",
		strings.NewReader(`{"stepfunctions": {"execute_state_machine": true}}`))
	if err != nil {
		t.Fatalf("configuring moto: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("configuring moto: %s", resp.Status)
	}
	return &accSFN{url: url}
}

func (s *accSFN) client(region string) *sfn.Client {
	return sfn.New(sfn.Options{
		Region:       region,
		BaseEndpoint: aws.String(s.url),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
}

// stateMachine creates a state machine from definition (Amazon States
// Language; moto rejects numbers with exponents) in region.
func (s *accSFN) stateMachine(t *testing.T, region, name string, definition map[string]any) string {
	t.Helper()
	text, err := json.Marshal(definition)
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.client(region).CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name:       aws.String(name),
		Definition: aws.String(string(text)),
		RoleArn:    aws.String("arn:aws:iam::" + accAccount + ":role/power-tuning"),
	})
	if err != nil {
		t.Fatalf("CreateStateMachine %s: %v", name, err)
	}
	return aws.ToString(out.StateMachineArn)
}

// executions lists every execution of a state machine.
func (s *accSFN) executions(region, machine string) ([]types.ExecutionListItem, error) {
	out, err := s.client(region).ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(machine)})
	if err != nil {
		return nil, fmt.Errorf("ListExecutions %s: %w", machine, err)
	}
	return out.Executions, nil
}

// providerConfig points Lambda and S3 at the emulator and Step Functions at moto.
func (s *accSFN) providerConfig(env *accEnv) string {
	return env.providerConfigWith(fmt.Sprintf("sfn    = %q", s.url))
}

// upstreamResult is what the original tool's state machine outputs (with
// includeOutputResults), written with decimals for moto's parser.
var upstreamResult = map[string]any{
	"power":    512,
	"cost":     json.Number("0.0000021"),
	"duration": json.Number("30.5"),
	"stateMachine": map[string]any{
		"executionCost": json.Number("0.00045"),
		"lambdaCost":    json.Number("0.000011"),
		"visualization": "https://lambda-power-tuning.show/#gAAAAg==;AAAAQg==;AAAAAA==",
	},
	"stats": []any{
		map[string]any{"value": 128, "averagePrice": json.Number("0.0000012"), "averageDuration": json.Number("120.25")},
		map[string]any{"value": 512, "averagePrice": json.Number("0.0000021"), "averageDuration": json.Number("30.5")},
	},
}

// succeeding is a state machine that outputs upstreamResult, after waiting
// waitSeconds (0: at once).
func succeeding(waitSeconds int) map[string]any {
	states := map[string]any{"Optimizer": map[string]any{"Type": "Pass", "Result": upstreamResult, "End": true}}
	start := "Optimizer"
	if waitSeconds > 0 {
		states["Executor"] = map[string]any{"Type": "Wait", "Seconds": waitSeconds, "Next": "Optimizer"}
		start = "Executor"
	}
	return map[string]any{"StartAt": start, "States": states}
}

// cleanUpPath is the original tool's failure that SUCCEEDS: an Executor's
// error is caught into $.error and the clean-up state outputs {}.
var cleanUpPath = map[string]any{
	"StartAt": "Executor",
	"States": map[string]any{
		"Executor": map[string]any{"Type": "Pass", "ResultPath": "$.error", "Next": "CleanUpOnError",
			"Result": map[string]any{"Error": "Lambda.Unknown", "Cause": "executor at 128 MB: function timed out"}},
		"CleanUpOnError": map[string]any{"Type": "Pass", "Result": map[string]any{}, "End": true},
	},
}

// failing is the Initializer failing the execution.
var failing = map[string]any{
	"StartAt": "Initializer",
	"States": map[string]any{
		"Initializer": map[string]any{"Type": "Fail", "Error": "InitializerError", "Cause": "lambdaARN has a qualifier"},
	},
}
