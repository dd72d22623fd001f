package analysis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Payload placeholders (payload_placeholders): in every string value of a
// request body, ${index} becomes the invocation's number within its memory
// size (from 0) and ${power} the memory size in MB. $${index} and $${power}
// stand for the literal text ${index} and ${power}, read left to right as
// Terraform reads $${ in its templates. Keys, numbers, booleans and null
// are left as they are, any other ${…} too, and a string stays a string:
// "${index}" becomes "3", never 3.

// placeholderNames are the placeholders a body may hold.
var placeholderNames = [...]string{"index", "power"}

// placeholderBody is one request body cut where its string values hold
// placeholders, so that each invocation only joins the parts.
type placeholderBody struct {
	parts []bodyPart
}

// bodyPart is either raw text of the body, copied as it is, or the
// decoded value of a string that holds placeholders.
type bodyPart struct {
	raw      []byte
	text     string
	template bool
}

// ExpandPlaceholders returns body with the placeholders of its string values
// replaced for invocation index of memory size power. body must be one JSON
// document; what holds no placeholder keeps its exact text.
func ExpandPlaceholders(body []byte, index int, power int32) ([]byte, error) {
	b, err := compilePlaceholders(body)
	if err != nil {
		return nil, err
	}
	return b.expand(index, power), nil
}

// compilePlaceholders finds the string values of body that hold
// placeholders, walking its tokens and telling keys from values.
func compilePlaceholders(body []byte) (placeholderBody, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var (
		out    placeholderBody
		copied int64   // body[:copied] is in out.parts
		frames []frame // the open objects and arrays
	)
	for started := false; !started || len(frames) > 0; started = true {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return placeholderBody{}, fmt.Errorf("reading the payload for placeholders: %w", err)
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				frames = append(frames, frame{object: t == '{', wantKey: t == '{'})
				continue
			}
			frames = frames[:len(frames)-1]
		case string:
			if top := len(frames) - 1; top >= 0 && frames[top].wantKey {
				frames[top].wantKey = false
				continue
			}
			if holdsPlaceholder(t) {
				// The value starts at its quote: what lies before is the
				// separator and white space after the previous token.
				start := before + int64(bytes.IndexByte(body[before:], '"'))
				out.parts = append(out.parts, bodyPart{raw: body[copied:start]}, bodyPart{text: t, template: true})
				copied = dec.InputOffset()
			}
		}
		valueDone(frames)
	}
	if len(bytes.TrimSpace(body[dec.InputOffset():])) > 0 {
		return placeholderBody{}, fmt.Errorf("reading the payload for placeholders: text after the JSON document")
	}
	out.parts = append(out.parts, bodyPart{raw: body[copied:]})
	return out, nil
}

// frame is an open object or array; in an object, wantKey says whether a
// key comes next.
type frame struct{ object, wantKey bool }

// valueDone notes that a value ended: in an object, a key comes next.
func valueDone(frames []frame) {
	if top := len(frames) - 1; top >= 0 && frames[top].object {
		frames[top].wantKey = true
	}
}

func holdsPlaceholder(s string) bool {
	for _, name := range placeholderNames {
		if strings.Contains(s, "${"+name+"}") {
			return true
		}
	}
	return false
}

// expand joins the parts with each string's placeholders replaced.
func (b placeholderBody) expand(index int, power int32) []byte {
	if len(b.parts) == 1 {
		return b.parts[0].raw // nothing to replace: the body as it is
	}
	values := [len(placeholderNames)]string{strconv.Itoa(index), strconv.Itoa(int(power))}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // the body's "<" stays "<"
	for _, p := range b.parts {
		if !p.template {
			out.Write(p.raw)
			continue
		}
		_ = enc.Encode(expandString(p.text, values)) // a string always encodes
		out.Truncate(out.Len() - 1)                  // Encode ends with a newline
	}
	return out.Bytes()
}

// expandString replaces the placeholders of s, left to right, with values
// (in the order of placeholderNames); $${name} gives the literal ${name}.
func expandString(s string, values [len(placeholderNames)]string) string {
	var out strings.Builder
	for i := 0; i < len(s); {
		n, text := placeholderAt(s[i:], values)
		if n == 0 {
			out.WriteByte(s[i])
			i++
			continue
		}
		out.WriteString(text)
		i += n
	}
	return out.String()
}

// placeholderAt says how many bytes at the start of s are a placeholder or
// its escape, and what replaces them; 0 when none starts there.
func placeholderAt(s string, values [len(placeholderNames)]string) (int, string) {
	for k, name := range placeholderNames {
		literal := "${" + name + "}"
		switch {
		case strings.HasPrefix(s, "$"+literal):
			return len(literal) + 1, literal
		case strings.HasPrefix(s, literal):
			return len(literal), values[k]
		}
	}
	return 0, ""
}

// WithPlaceholders returns p whose Request expands the placeholders of
// every body.
func (p Payloads) WithPlaceholders() (Payloads, error) {
	templates := make([]placeholderBody, len(p.bodies))
	for i, body := range p.bodies {
		t, err := compilePlaceholders(body)
		if err != nil {
			return Payloads{}, err
		}
		templates[i] = t
	}
	p.templates = templates
	return p, nil
}

// Request is the request body of invocation i (0 ≤ i < Len) of memory size
// power: Body(i), with its placeholders replaced when p came from
// WithPlaceholders. The weighted entry is chosen first, by i.
func (p Payloads) Request(i int, power int32) []byte {
	k := p.entry(i)
	if p.templates == nil {
		return p.bodies[k]
	}
	return p.templates[k].expand(i, power)
}
