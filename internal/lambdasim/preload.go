package lambdasim

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
)

// AddFunction creates a function directly, Active and ready at once (no
// UpdateDelay), and returns its unqualified ARN. Zero fields take AWS's
// defaults; the runtime defaults to nodejs20.x.
func (s *Server) AddFunction(spec FunctionSpec) (string, error) {
	region := spec.Region
	if region == "" {
		region = s.opts.Region
	}
	if !validFunctionName(spec.Name) {
		return "", fmt.Errorf("lambdasim: add function %q: %w", spec.Name, invalidFunctionName(spec.Name))
	}
	in := functionInput{
		Runtime:     &spec.Runtime,
		Handler:     &spec.Handler,
		Description: &spec.Description,
	}
	if spec.Runtime == "" {
		in.Runtime = ptr("nodejs20.x")
	}
	if spec.Handler == "" {
		in.Handler = ptr("index.handler")
	}
	if spec.MemorySize != 0 {
		in.MemorySize = &spec.MemorySize
	}
	if spec.Timeout != 0 {
		in.Timeout = &spec.Timeout
	}
	if spec.Architecture != "" {
		in.Architectures = []string{spec.Architecture}
	}
	if spec.LogFormat != "" {
		in.LoggingConfig = &loggingJSON{LogFormat: spec.LogFormat}
	}
	if spec.SnapStart {
		in.SnapStart = &struct{ ApplyOn string }{snapStartPublished}
	}
	if spec.Environment != nil {
		in.Environment = &environmentJSON{Variables: spec.Environment}
	}
	s.specKinds(&in, &spec, region)
	st := defaultSettings(spec.Name)
	if err := applyConfig(&st, &in, s.opts.MemoryQuota); err != nil {
		return "", fmt.Errorf("lambdasim: add function %q: %w", spec.Name, err)
	}
	if err := applyKinds(&st, &in, true); err != nil {
		return "", fmt.Errorf("lambdasim: add function %q: %w", spec.Name, err)
	}
	st.Role = "arn:" + partition(region) + ":iam::" + s.opts.AccountID + ":role/lambdasim"
	st.code = placeholderZip(spec.Name)
	if spec.Code != nil {
		if err := checkZip(spec.Code); err != nil {
			return "", fmt.Errorf("lambdasim: add function %q: %w", spec.Name, err)
		}
		st.code = spec.Code
	}
	st.CodeSha256, st.CodeSize = codeSha256(st.code), int64(len(st.code))

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkProvider(&st); err != nil {
		return "", fmt.Errorf("lambdasim: add function %q: %w", spec.Name, err)
	}
	key := functionKey{region, spec.Name}
	if s.functions[key] != nil {
		return "", fmt.Errorf("lambdasim: add function %q: %w", spec.Name, errConflict("Function already exist: %s", spec.Name))
	}
	if r := spec.ReservedConcurrency; r != nil {
		if *r < 0 || s.opts.AccountConcurrency-(s.concurrency.reservedSum+int(*r)) < s.minUnreserved() {
			return "", fmt.Errorf("lambdasim: add function %q: reserved concurrency %d does not fit the account limit %d", spec.Name, *r, s.opts.AccountConcurrency)
		}
	}
	if err := checkTags(nil, spec.Tags); err != nil {
		return "", fmt.Errorf("lambdasim: add function %q: %w", spec.Name, err)
	}
	now := s.now()
	f := s.newFunction(key, st.withDerived(), s.activeStatus(now))
	if len(spec.Tags) > 0 {
		f.tags = maps.Clone(spec.Tags)
	}
	if r := spec.ReservedConcurrency; r != nil {
		s.reserve(f, ptr(*r)) // a copy: the spec stays the caller's
	}
	return f.arn, nil
}

// specKinds turns a spec's tenancy, durable and capacity-provider fields
// into the CreateFunction members they stand for.
func (s *Server) specKinds(in *functionInput, spec *FunctionSpec, region string) {
	if spec.TenantIsolationMode != "" {
		in.TenancyConfig = &tenancyJSON{TenantIsolationMode: spec.TenantIsolationMode}
	}
	if d := spec.Durable; d != nil {
		in.DurableConfig = &durableJSON{ExecutionTimeout: ptr(d.ExecutionTimeout)}
		if d.RetentionPeriodInDays != 0 {
			in.DurableConfig.RetentionPeriodInDays = ptr(d.RetentionPeriodInDays)
		}
		if d.KMSKeyArn != "" {
			in.DurableConfig.KMSKeyArn = ptr(d.KMSKeyArn)
		}
	}
	if c := spec.CapacityProvider; c != nil {
		arn := c.ARN
		if arn != "" && !strings.HasPrefix(arn, "arn:") {
			arn = "arn:" + partition(region) + ":lambda:" + region + ":" + s.opts.AccountID + ":capacity-provider:" + arn
		}
		mi := &managedInstancesJSON{CapacityProviderArn: &arn}
		if c.ExecutionEnvironmentMemoryGiBPerVCpu != 0 {
			mi.ExecutionEnvironmentMemoryGiBPerVCpu = ptr(c.ExecutionEnvironmentMemoryGiBPerVCpu)
		}
		if c.PerExecutionEnvironmentMaxConcurrency != 0 {
			mi.PerExecutionEnvironmentMaxConcurrency = ptr(c.PerExecutionEnvironmentMaxConcurrency)
		}
		in.CapacityProviderConfig = &capacityProviderJSON{LambdaManagedInstancesCapacityProviderConfig: mi}
	}
}

func ptr[T any](v T) *T { return &v }

// LoadConfig reads a preload file (JSON, see cmd/lambdasim/README.md).
// Object files are resolved relative to the config file and read now.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("lambdasim: read config: %w", err)
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return Config{}, fmt.Errorf("lambdasim: parse config %s: %w", path, err)
	}
	for i, o := range c.Objects {
		if o.Bucket == "" || o.Key == "" {
			return Config{}, fmt.Errorf("lambdasim: config %s: object %d needs a bucket and a key", path, i)
		}
		if o.File == "" {
			continue
		}
		file := o.File
		if !filepath.IsAbs(file) {
			file = filepath.Join(filepath.Dir(path), file)
		}
		body, err := os.ReadFile(file)
		if err != nil {
			return Config{}, fmt.Errorf("lambdasim: config %s: object s3://%s/%s: %w", path, o.Bucket, o.Key, err)
		}
		c.Objects[i].Body, c.Objects[i].File = string(body), ""
	}
	return c, nil
}

// Apply loads a Config into the server: capacity providers, functions,
// objects, denied buckets and faults. It stops at the first capacity
// provider or function it cannot create.
func (s *Server) Apply(c Config) error {
	for _, def := range c.CapacityProviders {
		if _, err := s.AddCapacityProvider(def); err != nil {
			return err
		}
	}
	for _, spec := range c.Functions {
		if _, err := s.AddFunction(spec); err != nil {
			return err
		}
	}
	for _, o := range c.Objects {
		s.PutObject(o.Bucket, o.Key, []byte(o.Body))
	}
	for _, b := range c.DeniedBuckets {
		s.DenyS3(b)
	}
	for _, f := range c.Faults {
		s.InjectFault(f)
	}
	return nil
}
