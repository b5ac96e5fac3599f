package fleet

import (
	"crypto/ed25519"
	"fmt"
	"time"
)

// TrustedKey is a public key a device accepts signatures from, and the
// role its signatures carry.
type TrustedKey struct {
	// ID is the key id in minisign's upper-case hex.
	ID string
	// Public is the raw Ed25519 public key.
	Public ed25519.PublicKey
	// Role bounds what the key may ask for.
	Role Role
}

// Keyring is the set of keys a device trusts for commands and documents
// (its control.keys). Several keys can be listed, so keys are rotated by
// adding the new one before removing the old. It is read-only after
// NewKeyring and safe for concurrent use.
type Keyring struct {
	keys map[string]TrustedKey
}

// NewKeyring checks keys and builds a keyring. An empty list, a key of the
// wrong size, an unknown role or a key id listed twice is an error
// wrapping ErrBadKey.
func NewKeyring(keys ...TrustedKey) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no keys", ErrBadKey)
	}
	kr := &Keyring{keys: make(map[string]TrustedKey, len(keys))}
	for i, k := range keys {
		switch {
		case len(k.Public) != ed25519.PublicKeySize:
			return nil, fmt.Errorf("%w: key %d: %d bytes, want %d", ErrBadKey, i, len(k.Public), ed25519.PublicKeySize)
		case !k.Role.Valid():
			return nil, fmt.Errorf("%w: key %d: role %q, want viewer, operator or admin", ErrBadKey, i, k.Role)
		case kr.keys[k.ID].Public != nil:
			return nil, fmt.Errorf("%w: key %d: id %s listed twice", ErrBadKey, i, k.ID)
		}
		kr.keys[k.ID] = k
	}
	return kr, nil
}

// Len returns the number of trusted keys.
func (kr *Keyring) Len() int { return len(kr.keys) }

// Authorize decides whether device dev may run req, received at now. It
// returns nil, or the error to reply with: forbidden with the reason
// (unsigned, no or too distant exp, unknown key, signed for another
// device, bad signature, role too low), or expired.
func (kr *Keyring) Authorize(dev string, req Request, now time.Time) *Error {
	if e := checkValidity(req, now); e != nil {
		return e
	}
	k, e := kr.verify(CanonicalRequest(dev, req), req.Sig, dev)
	if e != nil {
		return e
	}
	spec, ok := LookupCommand(req.Cmd)
	if ok && !k.Role.Includes(spec.Role) {
		return Errorf(CodeForbidden, "key %s has role %s; %s needs %s", k.ID, k.Role, req.Cmd, spec.Role)
	}
	return nil // an unknown command is left to the dispatcher: unknown_command
}

// checkValidity refuses unsigned requests and checks exp.
func checkValidity(req Request, now time.Time) *Error {
	switch {
	case req.Sig == nil:
		return Errorf(CodeForbidden, "unsigned request: this device accepts only signed commands (fleetctl --signing-key)")
	case req.Exp == nil:
		return Errorf(CodeForbidden, "signed request without exp")
	case now.After(*req.Exp):
		return Errorf(CodeExpired, "request expired at %s", req.Exp.UTC().Format(time.RFC3339))
	case req.Exp.Sub(now) > MaxSignedValidity:
		return Errorf(CodeForbidden, "exp %s is more than %v ahead of the device's clock",
			req.Exp.UTC().Format(time.RFC3339), MaxSignedValidity)
	}
	return nil
}

// verify finds sig's key and checks the signature of msg. dev, when not
// empty, is the device that must be named in sig.Dev.
func (kr *Keyring) verify(msg []byte, sig *Sig, dev string) (TrustedKey, *Error) {
	k, ok := kr.keys[sig.Key]
	switch {
	case !ok:
		return k, Errorf(CodeForbidden, "signed by unknown key %q", clipString(sig.Key))
	case dev != "" && sig.Dev != "" && sig.Dev != dev:
		return k, Errorf(CodeForbidden, "signed for device %q, not %q", clipString(sig.Dev), dev)
	case len(sig.Ed25519) != ed25519.SignatureSize || !ed25519.Verify(k.Public, msg, sig.Ed25519):
		return k, Errorf(CodeForbidden, "bad signature by key %s", k.ID)
	}
	return k, nil
}

// VerifyDocument checks that sig signs body, a document of the given kind,
// with a trusted key whose role includes need, and returns that key. The
// error is an *Error with code forbidden saying why.
func (kr *Keyring) VerifyDocument(kind string, body []byte, sig *Sig, need Role) (TrustedKey, error) {
	if sig == nil {
		return TrustedKey{}, Errorf(CodeForbidden, "unsigned %s", kind)
	}
	k, e := kr.verify(CanonicalDocument(kind, body), sig, "")
	if e != nil {
		return k, e
	}
	if !k.Role.Includes(need) {
		return k, Errorf(CodeForbidden, "key %s has role %s; a %s needs %s", k.ID, k.Role, kind, need)
	}
	return k, nil
}
