package tuning

// BuildPayloads lays out num invocation payloads from the payload JSON text
// (or, for S3 payloads, the object body). A weighted payload gives each entry
// floor(weight*num/total) slots in order, the last taking the remainder.
// Each returned element is the exact request body to send.
func BuildPayloads(payload []byte, num int) ([][]byte, error) { panic("not implemented") }
