package analysis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
)

// ErrWeightedPayload is wrapped by BuildPayloads when a weighted payload
// cannot be laid out over num invocations.
var ErrWeightedPayload = errors.New("invalid weighted payload")

// emptyPayloadBody is what Lambda receives when no payload is given.
const emptyPayloadBody = "{}"

// Payloads is the request bodies of num invocations, kept as runs of equal
// bodies: its memory follows the number of weighted entries, never num.
type Payloads struct {
	bodies    [][]byte
	ends      []int             // ends[i]: one past the last invocation that sends bodies[i]
	templates []placeholderBody // bodies[i] cut at its placeholders; nil: none are replaced
	slots     []int             // slots[i]: the slot invocation i sends (see Spread); nil: slot i
}

// Len is the number of invocations laid out.
func (p Payloads) Len() int {
	if len(p.ends) == 0 {
		return 0
	}
	return p.ends[len(p.ends)-1]
}

// Body is the exact request body of invocation i (0 ≤ i < Len). Bodies may
// share storage and must not be modified.
func (p Payloads) Body(i int) []byte {
	return p.bodies[p.entry(i)]
}

// entry is the index of the body invocation i sends.
func (p Payloads) entry(i int) int {
	if p.slots != nil {
		i = p.slots[i]
	}
	return sort.SearchInts(p.ends, i+1)
}

// BuildPayloads lays out num invocation payloads from the payload JSON text
// (or, for S3 payloads, the object body). A weighted payload gives each entry
// floor(weight*num/total) slots in order, the last taking the remainder.
//
// Bodies, following the original tool:
//   - no payload (nil, empty or blank): "{}";
//   - a weighted entry: its "payload" value as compact JSON, except that a
//     JSON string holding JSON text is sent as that text;
//   - any other JSON document: as given, except that a top-level JSON
//     string holding JSON text is sent as that text;
//   - text that is not JSON (only an S3 object can be that): as a JSON
//     string, because Lambda only accepts JSON request bodies.
func BuildPayloads(payload []byte, num int) (Payloads, error) {
	if num < 1 {
		return Payloads{}, fmt.Errorf("cannot lay out payloads for %d invocations: num must be at least 1", num)
	}
	trimmed := bytes.TrimSpace(payload)
	switch {
	case len(trimmed) == 0:
		return repeatBody([]byte(emptyPayloadBody), num), nil
	case !json.Valid(trimmed):
		quoted, err := json.Marshal(string(payload))
		if err != nil {
			return Payloads{}, fmt.Errorf("encode payload as a JSON string: %w", err)
		}
		return repeatBody(quoted, num), nil
	}
	entries, weighted, err := weightedEntries(trimmed)
	switch {
	case err != nil:
		return Payloads{}, err
	case weighted:
		return layOutWeighted(entries, num)
	case trimmed[0] == '"':
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
// whose every element is an object with a "payload" key, at least one of
// them with a "weight". Each weight must then be a positive number: a zero
// or a string is an error, not silently an ordinary payload.
func weightedEntries(doc []byte) ([]weightedEntry, bool, error) {
	if doc[0] != '[' {
		return nil, false, nil
	}
	elements := objectArray(doc)
	if len(elements) == 0 {
		return nil, false, nil
	}
	anyWeight := false
	for _, el := range elements {
		if _, ok := el["payload"]; !ok {
			return nil, false, nil
		}
		_, hasWeight := el["weight"]
		anyWeight = anyWeight || hasWeight
	}
	if !anyWeight {
		return nil, false, nil
	}
	entries := make([]weightedEntry, 0, len(elements))
	for i, el := range elements {
		raw, ok := el["weight"]
		var weight float64
		if !ok || json.Unmarshal(raw, &weight) != nil || !(weight > 0) || math.IsInf(weight, 0) {
			shown := "no weight"
			if ok {
				shown = "weight " + string(bytes.TrimSpace(raw))
			}
			return nil, true, fmt.Errorf("%w: payload entry %d has %s; give every weighted entry a positive number as its weight, such as weight = 1",
				ErrWeightedPayload, i, shown)
		}
		entries = append(entries, weightedEntry{body: entryBody(el["payload"]), weight: weight})
	}
	return entries, true, nil
}

// objectArray reads a JSON array of objects; anything else (an array of
// numbers, say) gives nil: an ordinary payload, not an error.
func objectArray(doc []byte) []map[string]json.RawMessage {
	var elements []map[string]json.RawMessage
	if json.Unmarshal(doc, &elements) != nil {
		return nil
	}
	return elements
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

// layOutWeighted gives the entries their slots in order, by arithmetic.
func layOutWeighted(entries []weightedEntry, num int) (Payloads, error) {
	if num < len(entries) {
		return Payloads{}, fmt.Errorf("%w: payload has %d weighted entries but num is %d; raise num to at least %d so that every entry is invoked",
			ErrWeightedPayload, len(entries), num, len(entries))
	}
	var total float64
	for _, e := range entries {
		total += e.weight
	}
	out := Payloads{bodies: make([][]byte, 0, len(entries)), ends: make([]int, 0, len(entries))}
	for i, e := range entries {
		slots := int(math.Floor(e.weight*float64(num)/total + trimEpsilon))
		if i == len(entries)-1 && slots >= 1 {
			slots = num - out.Len() // the remainder; < 1 only through rounding
		}
		if slots < 1 {
			return Payloads{}, fmt.Errorf("%w: payload entry %d (weight %g of a total %g) gets no invocation out of num = %d; raise num or the entry's weight",
				ErrWeightedPayload, i, e.weight, total, num)
		}
		out.bodies = append(out.bodies, e.body)
		out.ends = append(out.ends, out.Len()+slots)
	}
	return out, nil
}

// repeatBody sends body n times.
func repeatBody(body []byte, n int) Payloads {
	return Payloads{bodies: [][]byte{body}, ends: []int{n}}
}
