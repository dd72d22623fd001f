package lambdasim

import (
	"crypto/sha256"
	"net/http"
)

// durableExecution is an execution name a caller gave: the same name with
// the same payload is the same execution, with another payload a conflict.
type durableExecution struct {
	arn        string
	payloadSum [sha256.Size]byte
}

// maxDurableNames bounds the names remembered per function.
const maxDurableNames = 1 << 16

// durableExecutionARN is AWS's shape for an execution's ARN:
// arn:…:function:<name>:<version>/durable-execution/<execution name>/<id>.
func durableExecutionARN(f *function, label, name, id string) string {
	return f.qualifiedARN(label) + "/durable-execution/" + name + "/" + id
}

// startDurable names the durable execution an invocation starts: a new one,
// or for an execution name already used with the same payload, that one;
// the same name with another payload is refused with 409
// DurableExecutionAlreadyStartedException. The caller holds s.mu.
func (s *Server) startDurable(f *function, inv *invocation, req *invokeRequest) *apiError {
	inv.payloadSum = sha256.Sum256(inv.payload)
	name := req.durableName
	if name == "" {
		inv.durableARN = durableExecutionARN(f, inv.label, s.ids.uuid(), s.ids.uuid())
		return nil
	}
	if prev, ok := f.durableNames[name]; ok {
		if prev.payloadSum != inv.payloadSum {
			return &apiError{status: http.StatusConflict, code: "DurableExecutionAlreadyStartedException",
				message: "A durable execution named " + name + " has already been started with a different payload: " + prev.arn}
		}
		inv.durableARN = prev.arn
		return nil
	}
	inv.durableARN = durableExecutionARN(f, inv.label, name, s.ids.uuid())
	inv.durableName = name
	return nil
}

// rememberDurable records an admitted invocation's execution name. The
// caller holds s.mu.
func (s *Server) rememberDurable(inv *invocation) {
	if inv.durableName == "" {
		return
	}
	f := inv.f
	if f.durableNames == nil || len(f.durableNames) >= maxDurableNames {
		f.durableNames = make(map[string]durableExecution)
	}
	f.durableNames[inv.durableName] = durableExecution{arn: inv.durableARN, payloadSum: inv.payloadSum}
}
