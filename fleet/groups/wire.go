package groups

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/drover-iot/drover/fleet"
)

// DocKind is the kind of a group document in its signature
// (fleet.CanonicalDocument), so it can never pass for another document.
const DocKind = "group"

// EnvelopeVersion is the version of the Envelope.
const EnvelopeVersion = 1

// MaxDocumentSize bounds a group payload.
const MaxDocumentSize = 256 << 10

// Envelope is the retained payload on drover/groups/<name>: the group's
// JSON body, and its signature over exactly those bytes.
type Envelope struct {
	V    int             `json:"v"`
	Body json.RawMessage `json:"body"`
	Sig  *fleet.Sig      `json:"sig,omitempty"`
}

// Encode makes g's payload, signed by s when s is not nil.
func Encode(g Group, s fleet.Signer) ([]byte, error) {
	body, err := json.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("groups: encode %s: %w", g.Name, err)
	}
	env := Envelope{V: EnvelopeVersion, Body: body}
	if s != nil {
		sig := fleet.SignDocument(s, DocKind, body)
		env.Sig = &sig
	}
	return json.Marshal(env)
}

// Decode parses a group payload (without verifying it) and applies the
// jobs' defaults. A payload that is too large, not an envelope of a known
// version, or whose body is not a group (unknown keys too) gives an error
// wrapping ErrBadDocument or ErrTooLarge.
func Decode(payload []byte) (Group, Envelope, error) {
	var env Envelope
	if len(payload) > MaxDocumentSize {
		return Group{}, env, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(payload), MaxDocumentSize)
	}
	if err := json.Unmarshal(payload, &env); err != nil {
		return Group{}, env, fmt.Errorf("%w: %w", ErrBadDocument, err)
	}
	if env.V != EnvelopeVersion || len(env.Body) == 0 {
		return Group{}, env, fmt.Errorf("%w: want v %d with a body", ErrBadDocument, EnvelopeVersion)
	}
	var g Group
	dec := json.NewDecoder(bytes.NewReader(env.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return Group{}, env, fmt.Errorf("%w: body: %w", ErrBadDocument, err)
	}
	g.ApplyDefaults()
	return g, env, nil
}

// Verify checks that the envelope is signed by a trusted key with the
// operator role; the error (a *fleet.Error) says why not.
func (e Envelope) Verify(kr *fleet.Keyring) error {
	_, err := kr.VerifyDocument(DocKind, e.Body, e.Sig, fleet.RoleOperator)
	return err
}
