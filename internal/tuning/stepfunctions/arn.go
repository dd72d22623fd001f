package stepfunctions

import (
	"fmt"
	"regexp"
)

// stateMachineARN is an unqualified standard state machine ARN.
var stateMachineARN = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*):states:([a-z]{2}(-[a-z]+)+-\d+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$`)

// executionARNPattern is an execution ARN.
var executionARNPattern = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*):states:([a-z]{2}(-[a-z]+)+-\d+):(\d{12}):execution:([A-Za-z0-9_-]{1,80}):([A-Za-z0-9_.-]{1,80})$`)

// ParseStateMachineARN returns the Region of a state machine ARN, or an
// error saying what a valid one looks like.
func ParseStateMachineARN(arn string) (region string, err error) {
	m := stateMachineARN.FindStringSubmatch(arn)
	if m == nil {
		return "", fmt.Errorf("%q is not a state machine ARN: want arn:aws:states:<region>:<account-id>:stateMachine:<name>, "+
			"without a version or alias qualifier (the StateMachineARN output of the AWS Lambda Power Tuning stack)", arn)
	}
	return m[2], nil
}

// ParseExecutionARN returns the Region of an execution ARN.
func ParseExecutionARN(arn string) (region string, err error) {
	m := executionARNPattern.FindStringSubmatch(arn)
	if m == nil {
		return "", fmt.Errorf("%q is not an execution ARN: want arn:aws:states:<region>:<account-id>:execution:<state machine name>:<execution name>", arn)
	}
	return m[2], nil
}

// executionARN is the ARN Step Functions gives the execution called name.
func executionARN(stateMachine, name string) string {
	m := stateMachineARN.FindStringSubmatch(stateMachine)
	return fmt.Sprintf("arn:%s:states:%s:%s:execution:%s:%s", m[1], m[2], m[4], m[5], name)
}
