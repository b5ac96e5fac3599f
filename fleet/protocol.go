// Package fleet is wire protocol v1 of Drover, shared by the agent and the
// operator's side: topics, request and reply envelopes, error codes, the
// command table with each command's arguments, result and least role, the
// status model, the log record, and the signatures of requests and
// documents (CanonicalRequest, Keyring). It is a leaf: it imports no other Drover package.
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
	// Sig, when set, signs the request (see CanonicalRequest); devices
	// configured with control keys refuse requests without it.
	Sig *Sig `json:"sig,omitempty"`
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

// outgoing is a reply as a device encodes it: result and progress are Go
// values encoded in the same pass as the envelope.
type outgoing struct {
	V        int    `json:"v"`
	ID       string `json:"id"`
	OK       *bool  `json:"ok,omitempty"`
	Result   any    `json:"result,omitempty"`
	Error    *Error `json:"error,omitempty"`
	Progress any    `json:"progress,omitempty"`
}

// EncodeResult returns the payload of the final successful reply to
// request id. The envelope and result are encoded once, together, without
// HTML escaping, so '<', '>' and '&' stay as written rather than becoming
// \u003c, \u003e and \u0026. A result that cannot be encoded gives the
// payload of an internal error reply instead.
func EncodeResult(id string, result any) []byte {
	ok := true
	payload, err := encodeReply(outgoing{V: Version, ID: id, OK: &ok, Result: result})
	if err != nil {
		return EncodeError(id, Errorf(CodeInternal, "encode result: %v", err))
	}
	return payload
}

// EncodeError returns the payload of the final failed reply to request id.
// A plain error is reported as internal; an *Error anywhere in its chain
// keeps its code.
func EncodeError(id string, err error) []byte {
	ok := false
	payload, _ := encodeReply(outgoing{V: Version, ID: id, OK: &ok, Error: AsError(err)}) // strings only: cannot fail
	return payload
}

// EncodeProgress returns the payload of a progress report for request id;
// a progress value that cannot be encoded is left out.
func EncodeProgress(id string, progress any) []byte {
	payload, err := encodeReply(outgoing{V: Version, ID: id, Progress: progress})
	if err != nil {
		payload, _ = encodeReply(outgoing{V: Version, ID: id, Progress: json.RawMessage("null")})
	}
	return payload
}

func encodeReply(r outgoing) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// ResultReply is the final successful reply to request id as a device
// sends it (see EncodeResult), decoded.
func ResultReply(id string, result any) Reply { return mustDecode(EncodeResult(id, result)) }

// ErrorReply is the final failed reply to request id as a device sends it
// (see EncodeError), decoded.
func ErrorReply(id string, err error) Reply { return mustDecode(EncodeError(id, err)) }

// ProgressReply is a progress report for request id as a device sends it
// (see EncodeProgress), decoded.
func ProgressReply(id string, progress any) Reply { return mustDecode(EncodeProgress(id, progress)) }

// mustDecode decodes a payload made by the Encode functions, which always
// decodes; only an empty id makes DecodeReply complain, and then the
// reply it returns is still complete.
func mustDecode(payload []byte) Reply {
	r, _ := DecodeReply(payload)
	return r
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
