package fleet

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"time"
)

// MaxSignedValidity is how far ahead of the device's clock a signed
// request's exp may lie: a captured request is replayable for at most
// this long, and the device remembers its id that long.
const MaxSignedValidity = 10 * time.Minute

// Sig is the signature of a request ("sig" in the envelope) or of a
// document: a plain Ed25519 signature, made with a minisign secret key,
// over the canonical bytes of what it signs.
type Sig struct {
	// Key is the signing key's id, as minisign prints it (16 upper-case
	// hex digits): it names the trusted key that must verify Ed25519.
	Key string `json:"key"`
	// Dev is the device the request was signed for (it is part of the
	// signed bytes; carried only to give a clear reason when it differs).
	Dev string `json:"dev,omitempty"`
	// Ed25519 is the 64-byte signature, base64 on the wire.
	Ed25519 []byte `json:"ed25519"`
}

// Signer makes Ed25519 signatures with a minisign secret key;
// ota/sign.PrivateKey is one.
type Signer interface {
	// ID is the key id in minisign's upper-case hex.
	ID() string
	// SignEd25519 returns the plain Ed25519 signature of msg.
	SignEd25519(msg []byte) []byte
}

// Domain separation: the first bytes of every signed message, so a
// signature of one kind can never be taken for another.
const (
	requestDomain  = "drover-request-v1"
	documentDomain = "drover-document-v1"
)

// CanonicalRequest returns the bytes a request's signature covers: a
// domain tag, then each of device id, from, cmd, args (compacted JSON,
// empty when absent), request id and exp (RFC 3339 in UTC, empty when
// absent), each preceded by its length as a uvarint, so no two different
// requests share canonical bytes.
func CanonicalRequest(dev string, req Request) []byte {
	exp := ""
	if req.Exp != nil {
		exp = req.Exp.UTC().Format(time.RFC3339Nano)
	}
	return canonical(requestDomain, dev, req.From, req.Cmd, string(compactArgs(req.Args)), req.ID, exp)
}

// CanonicalDocument returns the bytes a document's signature covers: a
// domain tag, the document's kind (for example "group" or "rollout") and
// its body, each length-prefixed like CanonicalRequest.
func CanonicalDocument(kind string, body []byte) []byte {
	return canonical(documentDomain, kind, string(body))
}

func canonical(fields ...string) []byte {
	n := 0
	for _, f := range fields {
		n += len(f) + binary.MaxVarintLen64
	}
	b := make([]byte, 0, n)
	for _, f := range fields {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

// compactArgs removes insignificant white space from args, so that a
// request re-indented on the way still verifies; "null" counts as absent.
func compactArgs(args json.RawMessage) []byte {
	if len(args) == 0 || bytes.Equal(args, []byte("null")) {
		return nil
	}
	var buf bytes.Buffer
	if json.Compact(&buf, args) != nil {
		return args // not JSON: signed as it is, and refused later anyway
	}
	return buf.Bytes()
}

// SignRequest signs req for device dev with s and stores the signature in
// req.Sig. req.Exp must already be set (a device refuses a signed request
// without it).
func SignRequest(s Signer, dev string, req *Request) {
	req.Sig = &Sig{Key: s.ID(), Dev: dev, Ed25519: s.SignEd25519(CanonicalRequest(dev, *req))}
}

// SignDocument signs a document of the given kind (its exact bytes) with s.
func SignDocument(s Signer, kind string, body []byte) Sig {
	return Sig{Key: s.ID(), Ed25519: s.SignEd25519(CanonicalDocument(kind, body))}
}
