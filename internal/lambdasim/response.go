package lambdasim

import (
	"strconv"
)

// errResponseTooLarge is the function error AWS reports for a response
// over the size an invocation may return.
const errResponseTooLarge = "Function.ResponseSizeTooLarge"

func responseTooLargeMessage(limit int64) string {
	return "Response payload size exceeded maximum allowed payload size (" + strconv.FormatInt(limit, 10) + " bytes)."
}

// responseTooLargeDocument is the body of a buffered invocation whose
// response was too large, as AWS returns it (200, X-Amz-Function-Error:
// Unhandled).
func responseTooLargeDocument(limit int64) []byte {
	return []byte(`{"errorMessage":"` + responseTooLargeMessage(limit) + `","errorType":"` + errResponseTooLarge + `"}`)
}

// responseSize is the size of what the function returns when it succeeds.
func (inv *invocation) responseSize() int64 {
	p := inv.params
	switch {
	case p.hasResponseBytes:
		return p.responseBytes
	case p.hasOutput:
		return int64(len(p.output))
	case len(inv.payload) == 0:
		return 2 // {}
	}
	return int64(len(inv.payload))
}

// appendResponse appends bytes [off, end) of a SIM_RESPONSE_BYTES response
// of size n: a JSON string of n bytes ("xxx…x"; a lone 0 when n is 1), so
// that any slice of it can be made without making the rest.
func appendResponse(b []byte, off, end, n int64) []byte {
	for i := off; i < end; i++ {
		switch {
		case n == 1:
			b = append(b, '0')
		case i == 0 || i == n-1:
			b = append(b, '"')
		default:
			b = append(b, 'x')
		}
	}
	return b
}
