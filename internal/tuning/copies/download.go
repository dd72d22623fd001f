package copies

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
)

// download fetches a package from GetFunction's Code.Location, a presigned
// URL valid for minutes, so it is fetched right after GetFunction.
func download(ctx context.Context, client awsapi.HTTPDoer, url string, limit int64) ([]byte, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	// One byte more than the limit tells an oversized package from a full one.
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("the package is above the %d MB limit", limit>>20)
	}
	return body, nil
}
