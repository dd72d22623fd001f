package analysis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// ErrWeightedPayload is wrapped by BuildPayloads when a weighted payload
// cannot be laid out over num invocations.
var ErrWeightedPayload = errors.New("invalid weighted payload")

// emptyPayloadBody is what Lambda receives when no payload is given.
const emptyPayloadBody = "{}"

// BuildPayloads lays out num invocation payloads from the payload JSON text
// (or, for S3 payloads, the object body). A weighted payload gives each entry
// floor(weight*num/total) slots in order, the last taking the remainder.
// Each returned element is the exact request body to send; elements may
// share storage and must not be modified.
//
// Bodies, following the original tool:
//   - no payload (nil, empty or blank): "{}";
//   - a weighted entry: its "payload" value as compact JSON, except that a
//     JSON string holding JSON text is sent as that text;
//   - any other JSON document: as given, except that a top-level JSON
//     string holding JSON text is sent as that text;
//   - text that is not JSON (only an S3 object can be that): as a JSON
//     string, because Lambda only accepts JSON request bodies.
func BuildPayloads(payload []byte, num int) ([][]byte, error) {
	if num < 1 {
		return nil, fmt.Errorf("cannot lay out payloads for %d invocations: num must be at least 1", num)
	}
	trimmed := bytes.TrimSpace(payload)
	switch {
	case len(trimmed) == 0:
		return repeatBody([]byte(emptyPayloadBody), num), nil
	case !json.Valid(trimmed):
		quoted, err := json.Marshal(string(payload))
		if err != nil {
			return nil, fmt.Errorf("encode payload as a JSON string: %w", err)
		}
		return repeatBody(quoted, num), nil
	}
	if entries, ok := weightedEntries(trimmed); ok {
		return layOutWeighted(entries, num)
	}
	if trimmed[0] == '"' {
		return repeatBody(unwrapJSONString(trimmed), num), nil
	}
	return repeatBody(payload, num), nil
}

// weightedEntry is one element of a weighted payload.
type weightedEntry struct {
	body   []byte
	weight float64
}

// weightedEntries recognises a weighted payload: a non-empty JSON array
// whose every element is an object with a "payload" key and a positive
// numeric "weight". Any other document is an ordinary payload.
func weightedEntries(doc []byte) ([]weightedEntry, bool) {
	if doc[0] != '[' {
		return nil, false
	}
	var elements []map[string]json.RawMessage
	if err := json.Unmarshal(doc, &elements); err != nil || len(elements) == 0 {
		return nil, false
	}
	entries := make([]weightedEntry, 0, len(elements))
	for _, el := range elements {
		rawPayload, hasPayload := el["payload"]
		var weight float64
		if !hasPayload || json.Unmarshal(el["weight"], &weight) != nil || !(weight > 0) {
			return nil, false
		}
		entries = append(entries, weightedEntry{body: entryBody(rawPayload), weight: weight})
	}
	return entries, true
}

// entryBody is the request body for one weighted entry's payload value.
func entryBody(raw json.RawMessage) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		return unwrapJSONString(raw)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return raw // cannot happen: raw came out of a valid document
	}
	return compact.Bytes()
}

// unwrapJSONString returns the content of a JSON string when that content is
// itself JSON text (a payload given as an escaped string), else the JSON
// string unchanged, which is a valid body on its own.
func unwrapJSONString(quoted []byte) []byte {
	var s string
	if err := json.Unmarshal(quoted, &s); err != nil || !json.Valid([]byte(s)) {
		return quoted
	}
	return []byte(s)
}

// layOutWeighted fills num slots in entry order.
func layOutWeighted(entries []weightedEntry, num int) ([][]byte, error) {
	if num < len(entries) {
		return nil, fmt.Errorf("%w: payload has %d weighted entries but num is %d; raise num to at least %d so that every entry is invoked",
			ErrWeightedPayload, len(entries), num, len(entries))
	}
	var total float64
	for _, e := range entries {
		total += e.weight
	}
	bodies := make([][]byte, 0, num)
	for i, e := range entries {
		slots := int(math.Floor(e.weight*float64(num)/total + trimEpsilon))
		if i == len(entries)-1 && slots >= 1 {
			slots = num - len(bodies) // the remainder; < 1 only through rounding
		}
		if slots < 1 {
			return nil, fmt.Errorf("%w: payload entry %d (weight %g of a total %g) gets no invocation out of num = %d; raise num or the entry's weight",
				ErrWeightedPayload, i, e.weight, total, num)
		}
		for range slots {
			bodies = append(bodies, e.body)
		}
	}
	return bodies, nil
}

// repeatBody returns n references to body.
func repeatBody(body []byte, n int) [][]byte {
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i] = body
	}
	return bodies
}
