package lambdasim

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func publish(t *testing.T, c *lambda.Client, name, description string) *lambda.PublishVersionOutput {
	t.Helper()
	in := &lambda.PublishVersionInput{FunctionName: aws.String(name)}
	if description != "" {
		in.Description = aws.String(description)
	}
	out, err := c.PublishVersion(ctx(t), in)
	if err != nil {
		t.Fatalf("PublishVersion: %v", err)
	}
	return out
}

func setMemory(t *testing.T, c *lambda.Client, mb int32) {
	t.Helper()
	if _, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"), MemorySize: aws.Int32(mb)}); err != nil {
		t.Fatalf("UpdateFunctionConfiguration: %v", err)
	}
}

func TestPublishVersionNumbersAndReuse(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})

	v1 := publish(t, c, "fn", "first")
	if aws.ToString(v1.Version) != "1" || aws.ToString(v1.FunctionArn) != testARN+"fn:1" || aws.ToString(v1.Description) != "first" {
		t.Errorf("first publish: version %s arn %s description %q", aws.ToString(v1.Version), aws.ToString(v1.FunctionArn), aws.ToString(v1.Description))
	}
	if v1.State != types.StateActive {
		t.Errorf("a plain version is Active at once, got %s", v1.State)
	}

	// Nothing changed: the same version comes back, its description kept.
	again := publish(t, c, "fn", "ignored")
	if aws.ToString(again.Version) != "1" || aws.ToString(again.RevisionId) != aws.ToString(v1.RevisionId) || aws.ToString(again.Description) != "first" {
		t.Errorf("unchanged publish: version %s revision %s description %q; want 1 %s first",
			aws.ToString(again.Version), aws.ToString(again.RevisionId), aws.ToString(again.Description), aws.ToString(v1.RevisionId))
	}

	setMemory(t, c, 512)
	v2 := publish(t, c, "fn", "")
	if aws.ToString(v2.Version) != "2" || aws.ToInt32(v2.MemorySize) != 512 {
		t.Errorf("after a change: version %s memory %d, want 2 512", aws.ToString(v2.Version), aws.ToInt32(v2.MemorySize))
	}

	// Deleted numbers are never reused.
	if _, err := c.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String("fn"), Qualifier: aws.String("2")}); err != nil {
		t.Fatal(err)
	}
	setMemory(t, c, 1024)
	if v := publish(t, c, "fn", ""); aws.ToString(v.Version) != "3" {
		t.Errorf("after deleting 2, the next version is %s, want 3", aws.ToString(v.Version))
	}

	list, err := c.ListVersionsByFunction(ctx(t), &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range list.Versions {
		got = append(got, aws.ToString(v.Version))
	}
	if len(got) != 3 || got[0] != "$LATEST" || got[1] != "1" || got[2] != "3" {
		t.Errorf("ListVersionsByFunction = %v, want [$LATEST 1 3]", got)
	}
	if aws.ToString(list.Versions[0].FunctionArn) != testARN+"fn:$LATEST" {
		t.Errorf("$LATEST ARN in the list = %s", aws.ToString(list.Versions[0].FunctionArn))
	}
}

func TestListVersionsPaginates(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	for mb := int32(128); mb < 128+5*64; mb += 64 {
		setMemory(t, c, mb+64)
		publish(t, c, "fn", "")
	}
	p := lambda.NewListVersionsByFunctionPaginator(c, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("fn"), MaxItems: aws.Int32(2)})
	var n, pages int
	for p.HasMorePages() {
		page, err := p.NextPage(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		pages++
		n += len(page.Versions)
	}
	if n != 6 || pages != 3 {
		t.Errorf("paginated %d versions in %d pages, want 6 in 3", n, pages)
	}
}

func TestSnapStartVersionIsPendingThenActive(t *testing.T) {
	clock := newFakeClock()
	_, c := startWith(t, Options{SnapStartDelay: 5 * time.Second, Clock: clock.Now}, FunctionSpec{Name: "snap", SnapStart: true, Environment: map[string]string{"SIM_INIT_MS": "800"}})
	v := publish(t, c, "snap", "")
	if v.State != types.StatePending {
		t.Fatalf("SnapStart version State = %s, want Pending", v.State)
	}
	_, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("snap"), Qualifier: v.Version})
	wantAPIError(t, err, 409, "SnapStartNotReadyException", "Lambda is initializing your function. It will be ready to invoke once your function's state is Active.")

	clock.Advance(5 * time.Second)
	got, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("snap"), Qualifier: v.Version})
	if err != nil {
		t.Fatal(err)
	}
	if got.State != types.StateActive || got.SnapStart.OptimizationStatus != types.SnapStartOptimizationStatusOn {
		t.Errorf("after the delay: State %s, OptimizationStatus %s", got.State, got.SnapStart.OptimizationStatus)
	}
	_, log := invokeTail(t, c, "snap", "1", "{}")
	line := reportLine(t, log)
	if !strings.Contains(line, "Restore Duration: ") || !strings.Contains(line, "Billed Restore Duration: ") || strings.Contains(line, "Init Duration") {
		t.Errorf("a SnapStart cold start restores instead of initialising: %s", line)
	}
}

func TestPublishedVersionActiveWaiterCompletes(t *testing.T) {
	_, c := startWith(t, Options{SnapStartDelay: 40 * time.Millisecond}, FunctionSpec{Name: "snap", SnapStart: true})
	v := publish(t, c, "snap", "")
	w := lambda.NewPublishedVersionActiveWaiter(c, func(o *lambda.PublishedVersionActiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	out, err := w.WaitForOutput(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("snap"), Qualifier: v.Version}, 10*time.Second)
	if err != nil {
		t.Fatalf("PublishedVersionActive waiter: %v", err)
	}
	if out.State != types.StateActive {
		t.Errorf("State = %s", out.State)
	}
}

func TestDeleteVersionRules(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	v := publish(t, c, "fn", "")
	for _, name := range []string{"b-alias", "a-alias"} {
		if _, err := c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: aws.String("fn"), Name: aws.String(name), FunctionVersion: v.Version}); err != nil {
			t.Fatal(err)
		}
	}
	del := func(q string) error {
		_, err := c.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String("fn"), Qualifier: aws.String(q)})
		return err
	}
	wantAPIError(t, del("1"), 409, "ResourceConflictException", "Unable to delete version because the following aliases reference it: [a-alias, b-alias]")
	wantAPIError(t, del("$LATEST"), 400, "InvalidParameterValueException", "$LATEST version cannot be deleted without deleting the function.")
	wantAPIError(t, del("a-alias"), 400, "InvalidParameterValueException", "Deletion of aliases is not currently supported.")
	if err := del("42"); err != nil {
		t.Errorf("deleting a missing version answers 204, got %v", err)
	}
	for _, name := range []string{"a-alias", "b-alias"} {
		if _, err := c.DeleteAlias(ctx(t), &lambda.DeleteAliasInput{FunctionName: aws.String("fn"), Name: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := del("1"); err != nil {
		t.Fatalf("deleting an unreferenced version: %v", err)
	}
	_, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("fn"), Qualifier: aws.String("1")})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "Function not found: "+testARN+"fn:1")
}

func TestListVersionsPagesOfFifty(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	for mb := int32(129); mb <= 129+50; mb++ { // 51 versions
		setMemory(t, c, mb)
		publish(t, c, "fn", "")
	}
	out, err := c.ListVersionsByFunction(ctx(t), &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("fn"), MaxItems: aws.Int32(1000)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Versions) != 50 || out.NextMarker == nil {
		t.Fatalf("MaxItems 1000: %d versions, NextMarker %v; want a page of 50 and a marker", len(out.Versions), out.NextMarker)
	}
	rest, err := c.ListVersionsByFunction(ctx(t), &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("fn"), Marker: out.NextMarker})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest.Versions) != 2 || rest.NextMarker != nil || aws.ToString(rest.Versions[1].Version) != "51" {
		t.Errorf("second page: %d versions, NextMarker %v; want versions 50 and 51 and no marker", len(rest.Versions), rest.NextMarker)
	}
}
