package lambdasim

import (
	"fmt"
	"maps"
)

// defaultSettings are a new function's settings before the request's own:
// AWS's defaults (3 s, 128 MB, x86_64, Text logs in /aws/lambda/<name>).
func defaultSettings(name string) settings {
	return settings{settingsCore: settingsCore{
		Timeout:          3,
		MemorySize:       minMemory,
		Architecture:     "x86_64",
		LogFormat:        "Text",
		LogGroup:         "/aws/lambda/" + name,
		SnapStartApplyOn: "None",
		EphemeralStorage: minEphemeralStorage,
		TracingMode:      "PassThrough",
		PackageType:      "Zip",
	}}
}

// applyConfig copies the configuration members present in the request onto
// st and checks them the way AWS does.
func applyConfig(st *settings, in *functionInput, quota int32) *apiError {
	var v violations
	if in.Runtime != nil {
		st.Runtime = *in.Runtime
	}
	if in.Role != nil {
		v.checkRole(*in.Role)
		st.Role = *in.Role
	}
	if in.Handler != nil {
		st.Handler = *in.Handler
	}
	if in.Description != nil {
		v.checkDescription(in.Description)
		st.Description = *in.Description
	}
	if in.Timeout != nil {
		v.checkRange("timeout", *in.Timeout, minTimeout, maxTimeout)
		st.Timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		// A managed-instances function's memory has its own range (applyKinds).
		if !onCapacityProvider(st, in) {
			v.checkMemory(*in.MemorySize, quota)
		}
		st.MemorySize = *in.MemorySize
	}
	if in.Environment != nil {
		st.Environment = maps.Clone(in.Environment.Variables)
	}
	if in.EphemeralStorage != nil {
		v.checkRange("ephemeralStorage.size", in.EphemeralStorage.Size, minEphemeralStorage, maxEphemeralStorage)
		st.EphemeralStorage = in.EphemeralStorage.Size
	}
	if in.TracingConfig != nil && in.TracingConfig.Mode != "" {
		if !oneOf(in.TracingConfig.Mode, "Active", "PassThrough") {
			v.add(in.TracingConfig.Mode, "tracingConfig.mode", "Member must satisfy enum value set: [Active, PassThrough]")
		}
		st.TracingMode = in.TracingConfig.Mode
	}
	if in.SnapStart != nil {
		if !oneOf(in.SnapStart.ApplyOn, snapStartPublished, "None") {
			v.add(in.SnapStart.ApplyOn, "snapStart.applyOn", "Member must satisfy enum value set: [PublishedVersions, None]")
		}
		st.SnapStartApplyOn = in.SnapStart.ApplyOn
	}
	if lc := in.LoggingConfig; lc != nil {
		if lc.LogFormat != "" {
			if !oneOf(lc.LogFormat, "JSON", "Text") {
				v.add(lc.LogFormat, "loggingConfig.logFormat", "Member must satisfy enum value set: [JSON, Text]")
			}
			st.LogFormat = lc.LogFormat
		}
		if lc.LogGroup != "" {
			st.LogGroup = lc.LogGroup
		}
		if lc.ApplicationLogLevel != "" {
			st.AppLogLevel = lc.ApplicationLogLevel
		}
		if lc.SystemLogLevel != "" {
			st.SystemLogLevel = lc.SystemLogLevel
		}
	}
	if err := applyArchitectures(st, in.Architectures, &v); err != nil {
		return err
	}
	if err := v.err(); err != nil {
		return err
	}
	normalizeLogLevels(st)
	return nil
}

// normalizeLogLevels: log levels exist only with JSON logs (INFO by default).
func normalizeLogLevels(st *settings) {
	if st.LogFormat != "JSON" {
		st.AppLogLevel, st.SystemLogLevel = "", ""
		return
	}
	if st.AppLogLevel == "" {
		st.AppLogLevel = "INFO"
	}
	if st.SystemLogLevel == "" {
		st.SystemLogLevel = "INFO"
	}
}

func applyArchitectures(st *settings, archs []string, v *violations) *apiError {
	if archs == nil {
		return nil
	}
	if len(archs) != 1 {
		return errInvalidParameter("Function can only support one architecture.")
	}
	if !oneOf(archs[0], "x86_64", "arm64") {
		v.add(fmt.Sprintf("[%s]", archs[0]), "architectures", "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]")
		return nil
	}
	st.Architecture = archs[0]
	return nil
}
