package fleet

import (
	"bytes"
	"encoding/json"
	"time"
)

// DecodeRequest parses and checks a request payload received at time now.
// limit is the payload size limit in bytes (DefaultPayloadLimit when <= 0).
//
// It never panics. On failure it returns an *Error with the code to send
// back (bad_request, too_large or expired) together with as much of the
// request as could be read, so that the error reply can be correlated: ID
// and From are filled whenever the payload holds them as strings.
func DecodeRequest(payload []byte, limit int, now time.Time) (Request, *Error) {
	if limit <= 0 {
		limit = DefaultPayloadLimit
	}
	if len(payload) > limit {
		req := recoverIDs(payload)
		return req, Errorf(CodeTooLarge, "payload of %d bytes exceeds the limit of %d", len(payload), limit)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(payload, &fields); err != nil || fields == nil {
		return Request{}, Errorf(CodeBadRequest, "malformed JSON: payload must be a JSON object")
	}
	var req Request
	getString(fields, "id", &req.ID)
	getString(fields, "from", &req.From)
	getString(fields, "cmd", &req.Cmd)
	if e := checkEnvelope(fields, &req); e != nil {
		return req, e
	}
	if e := decodeExp(fields, &req, now); e != nil {
		return req, e
	}
	if e := decodeSig(fields, &req); e != nil {
		return req, e
	}
	return req, nil
}

// checkEnvelope fills V, Cmd and Args and checks the mandatory fields.
func checkEnvelope(fields map[string]json.RawMessage, req *Request) *Error {
	if raw, ok := fields["v"]; !ok || json.Unmarshal(raw, &req.V) != nil || req.V != Version {
		return Errorf(CodeBadRequest, "unsupported or missing protocol version %s; this device speaks v%d",
			clip(fields["v"]), Version)
	}
	if !getString(fields, "id", &req.ID) || req.ID == "" {
		return Errorf(CodeBadRequest, "missing id (a non-empty string)")
	}
	if len(req.ID) > MaxRequestIDLen {
		return Errorf(CodeBadRequest, "id longer than %d bytes", MaxRequestIDLen)
	}
	if !getString(fields, "cmd", &req.Cmd) || req.Cmd == "" {
		return Errorf(CodeBadRequest, "missing cmd (a non-empty string)")
	}
	if raw, ok := fields["args"]; ok && !bytes.Equal(raw, []byte("null")) {
		if len(raw) == 0 || raw[0] != '{' {
			return Errorf(CodeBadRequest, "args must be a JSON object")
		}
		req.Args = raw
	}
	if raw, ok := fields["from"]; ok && !getString(fields, "from", &req.From) {
		return Errorf(CodeBadRequest, "from must be a string, got %s", clip(raw))
	}
	return nil
}

// decodeExp fills Exp and refuses an expired request.
func decodeExp(fields map[string]json.RawMessage, req *Request, now time.Time) *Error {
	raw, ok := fields["exp"]
	if !ok || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return Errorf(CodeBadRequest, "exp must be an RFC 3339 string")
	}
	exp, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return Errorf(CodeBadRequest, "exp %q is not RFC 3339", clipString(s))
	}
	req.Exp = &exp
	if now.After(exp) {
		return Errorf(CodeExpired, "request expired at %s", exp.Format(time.RFC3339Nano))
	}
	return nil
}

// decodeSig fills Sig when the request is signed; a malformed sig is a
// bad request.
func decodeSig(fields map[string]json.RawMessage, req *Request) *Error {
	raw, ok := fields["sig"]
	if !ok || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	var sig Sig
	if err := json.Unmarshal(raw, &sig); err != nil {
		return Errorf(CodeBadRequest, "sig must be {\"key\", \"dev\", \"ed25519\"}: %s", clipString(err.Error()))
	}
	if sig.Key == "" || len(sig.Ed25519) == 0 {
		return Errorf(CodeBadRequest, "sig needs key and ed25519")
	}
	req.Sig = &sig
	return nil
}

// getString stores fields[key] into dst when it is a JSON string.
func getString(fields map[string]json.RawMessage, key string, dst *string) bool {
	raw, ok := fields[key]
	if !ok {
		return false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return false
	}
	*dst = s
	return true
}

// recoverIDs reads only id and from of an oversized payload, ignoring
// everything else, so the too_large reply can be correlated.
func recoverIDs(payload []byte) Request {
	var ids struct {
		ID   json.RawMessage `json:"id"`
		From json.RawMessage `json:"from"`
	}
	if json.Unmarshal(payload, &ids) != nil {
		return Request{}
	}
	var req Request
	_ = json.Unmarshal(ids.ID, &req.ID)
	_ = json.Unmarshal(ids.From, &req.From)
	if len(req.ID) > MaxRequestIDLen {
		req.ID = ""
	}
	return req
}

// clip shortens a raw value for an error message.
func clip(raw json.RawMessage) string {
	if raw == nil {
		return "(none)"
	}
	return clipString(string(raw))
}

func clipString(s string) string {
	const max = 32
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
