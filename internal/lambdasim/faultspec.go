package lambdasim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseFault reads a fault from its flag form: comma-separated key=value
// pairs, e.g. "op=Invoke,status=429,count=3" or "op=*,rate=0.1,drop" or
// "op=UpdateFunctionConfiguration,delay=2s". Keys: op, count, rate, status,
// code, message (no commas), drop, delay.
func ParseFault(spec string) (Fault, error) {
	var f Fault
	for _, part := range strings.Split(spec, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		var err error
		switch key {
		case "op", "operation":
			f.Operation = value
		case "count":
			f.Count, err = strconv.Atoi(value)
		case "rate":
			f.Rate, err = strconv.ParseFloat(value, 64)
		case "status":
			f.Status, err = strconv.Atoi(value)
		case "code":
			f.Code = value
		case "message":
			f.Message = value
		case "drop":
			f.Drop = value == "" || value == "true"
		case "delay":
			f.Delay, err = time.ParseDuration(value)
		default:
			return Fault{}, fmt.Errorf("fault %q: unknown key %q", spec, key)
		}
		if err != nil {
			return Fault{}, fmt.Errorf("fault %q: %s: %w", spec, key, err)
		}
	}
	if err := f.validate(); err != nil {
		return Fault{}, fmt.Errorf("fault %q: %w", spec, err)
	}
	return f, nil
}

func (f Fault) validate() error {
	switch {
	case f.Operation == "":
		return fmt.Errorf("an operation is required (op=Invoke, op=* …)")
	case f.Rate < 0 || f.Rate > 1:
		return fmt.Errorf("rate %v is outside 0..1", f.Rate)
	case f.Count < 0:
		return fmt.Errorf("count %d is negative", f.Count)
	case f.Status == 0 && f.Code == "" && !f.Drop && f.Delay == 0:
		return fmt.Errorf("the fault does nothing: give status, code, drop or delay")
	}
	return nil
}

// UnmarshalJSON accepts "delay" as a duration string ("250ms") in config files.
func (f *Fault) UnmarshalJSON(data []byte) error {
	type plain Fault
	var aux struct {
		plain
		Delay json.RawMessage `json:"delay,omitempty"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*f = Fault(aux.plain)
	if len(aux.Delay) > 0 {
		var text string
		if err := json.Unmarshal(aux.Delay, &text); err == nil {
			d, err := time.ParseDuration(text)
			if err != nil {
				return fmt.Errorf("fault delay: %w", err)
			}
			f.Delay = d
		} else if err := json.Unmarshal(aux.Delay, &f.Delay); err != nil {
			return fmt.Errorf("fault delay: %w", err)
		}
	}
	return f.validate()
}
