package cli

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/drover-iot/drover/fleet"
)

// jsonElements renders each target as one JSON object with a "device"
// field: the result's fields, or "skipped" and "state", or "error".
func jsonElements[T any](outs []outcome[T]) []json.RawMessage {
	elems := make([]json.RawMessage, len(outs))
	for i, o := range outs {
		head := map[string]any{"device": o.id}
		switch {
		case o.skip:
			head["skipped"], head["state"] = true, string(o.state)
		case o.err != nil:
			head["error"] = o.err.Error()
		}
		elems[i] = withFields(head, o.res, o.skip || o.err != nil)
	}
	return elems
}

// withFields writes head's fields first, then res's fields (unless only
// head), leaving out a "device" field res already has.
func withFields(head map[string]any, res any, onlyHead bool) json.RawMessage {
	h, _ := json.Marshal(head)
	if onlyHead {
		return h
	}
	body, err := json.Marshal(res)
	if err != nil || len(body) < 2 || body[0] != '{' {
		return h
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(body, &probe) == nil && probe["device"] != nil {
		return body
	}
	if bytes.Equal(body, []byte("{}")) {
		return h
	}
	return append(append(h[:len(h)-1:len(h)-1], ','), body[1:]...)
}

// summarize returns nil when every asked device succeeded (and one was
// asked); otherwise a fanOutError: exit 1 if some device was reached,
// 3 if none was.
func summarize[T any](outs []outcome[T]) error {
	e := fanOutError{total: len(outs)}
	for _, o := range outs {
		var fe *fleet.Error
		switch {
		case o.skip:
			e.skipped++
		case o.err == nil:
			e.reached = true
		default:
			e.failed++
			e.reached = e.reached || errors.As(o.err, &fe)
		}
	}
	if e.failed == 0 && e.reached {
		return nil
	}
	return e
}
