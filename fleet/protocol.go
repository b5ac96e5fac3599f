// Package fleet is wire protocol v1 of Drover, shared by the agent and the
// operator's side: topics, request and reply envelopes, error codes, the
// command table with each command's arguments and result, the status model
// and the log record. It is a leaf: it imports no other Drover package.
// The operator's MQTT client is fleet/client; docs/PROTOCOL.md is the
// normative text.
package fleet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Version is the protocol version carried in every envelope's "v".
const Version = 1

// DefaultPayloadLimit is the largest request payload a device accepts.
const DefaultPayloadLimit = 256 << 10

// MaxRequestIDLen is the longest request id accepted.
const MaxRequestIDLen = 128

// Request is a command sent to drover/<dev>/cmd.
type Request struct {
	V    int             `json:"v"`
	ID   string          `json:"id"`
	Cmd  string          `json:"cmd"`
	Args json.RawMessage `json:"args,omitempty"`
	// From is the sender's client id; the reply goes to drover/<dev>/reply/<from>.
	From string `json:"from,omitempty"`
	// Exp, when set, is the instant after which the request must not run.
	Exp *time.Time `json:"exp,omitempty"`
}

// Reply is a device's answer on drover/<dev>/reply/<from>: either a progress
// report (Progress set, OK nil) or the final reply (OK set).
type Reply struct {
	V        int             `json:"v"`
	ID       string          `json:"id"`
	OK       *bool           `json:"ok,omitempty"`
	Result   json.RawMessage `json:"result,omitempty"`
	Error    *Error          `json:"error,omitempty"`
	Progress json.RawMessage `json:"progress,omitempty"`
}

// IsFinal reports whether r is the final reply rather than a progress report.
func (r Reply) IsFinal() bool { return r.OK != nil }

// Err returns the reply's *Error when it is a final failure, else nil.
func (r Reply) Err() error {
	if r.OK == nil || *r.OK {
		return nil
	}
	if r.Error == nil {
		return &Error{Code: CodeInternal, Message: "device reported failure without an error"}
	}
	return r.Error
}

// Decode unmarshals the result of a successful reply into v.
func (r Reply) Decode(v any) error {
	if err := r.Err(); err != nil {
		return err
	}
	if len(r.Result) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.Result, v); err != nil {
		return fmt.Errorf("%w: result of %s: %w", ErrBadReply, r.ID, err)
	}
	return nil
}

// ResultReply is the final successful reply to request id. A result that
// cannot be encoded gives an internal error reply instead. The result is
// encoded without HTML escaping, so '<', '>' and '&' stay as written
// rather than becoming \u003c, \u003e and \u0026.
func ResultReply(id string, result any) Reply {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(result); err != nil {
		return ErrorReply(id, Errorf(CodeInternal, "encode result: %v", err))
	}
	ok := true
	return Reply{V: Version, ID: id, OK: &ok, Result: bytes.TrimSuffix(buf.Bytes(), []byte("\n"))}
}

// ErrorReply is the final failed reply to request id. A plain error is
// reported as internal; an *Error anywhere in its chain keeps its code.
func ErrorReply(id string, err error) Reply {
	ok := false
	return Reply{V: Version, ID: id, OK: &ok, Error: AsError(err)}
}

// ProgressReply is a progress report for request id.
func ProgressReply(id string, progress any) Reply {
	raw, err := json.Marshal(progress)
	if err != nil {
		raw = nil
	}
	return Reply{V: Version, ID: id, Progress: raw}
}

// DecodeReply parses a reply payload. It never panics; errors wrap ErrBadReply.
func DecodeReply(payload []byte) (Reply, error) {
	var r Reply
	if err := json.Unmarshal(payload, &r); err != nil {
		return Reply{}, fmt.Errorf("%w: %w", ErrBadReply, err)
	}
	switch {
	case r.V != Version:
		return r, fmt.Errorf("%w: version %d, want %d", ErrBadReply, r.V, Version)
	case r.ID == "":
		return r, fmt.Errorf("%w: missing id", ErrBadReply)
	case r.OK == nil && r.Progress == nil:
		return r, fmt.Errorf("%w: neither ok nor progress", ErrBadReply)
	}
	return r, nil
}
