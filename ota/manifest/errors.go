package manifest

import (
	"errors"
)

// Sentinel errors of the manifest package. Each refusal has its own error
// and a stable reason string (see Reason) for replies and status.
var (
	// ErrMalformed means the envelope or the manifest cannot be decoded or
	// is inconsistent (chunk count, hash lengths, names).
	ErrMalformed = errors.New("manifest: malformed")
	// ErrTooLarge means the envelope exceeds MaxEnvelopeSize.
	ErrTooLarge = errors.New("manifest: envelope too large")
	// ErrUnknownKey means the manifest is signed by a key that is not trusted.
	ErrUnknownKey = errors.New("manifest: signed by an unknown key")
	// ErrBadSignature means the signature does not match the manifest bytes.
	ErrBadSignature = errors.New("manifest: bad signature")
	// ErrExpired means the manifest's expires_at has passed.
	ErrExpired = errors.New("manifest: expired")
	// ErrWrongPlatform means the manifest is for another os or arch.
	ErrWrongPlatform = errors.New("manifest: wrong os/arch")
	// ErrNotNewer means the build is not above the running one and no
	// downgrade is allowed.
	ErrNotNewer = errors.New("manifest: build not above the running build")
	// ErrUnknownPlatform means a binary's ELF header names no platform Go
	// builds the agent for.
	ErrUnknownPlatform = errors.New("manifest: unknown binary platform")
	// ErrNoSpace means the device lacks the disk space the update needs.
	ErrNoSpace = errors.New("manifest: not enough disk space")
	// ErrNoBuild means a multi-platform artifact has no build for the
	// device's platform (Index.Check).
	ErrNoBuild = errors.New("manifest: no build")
)

// Reasons, stable strings for the reply and the status of a refused update.
const (
	ReasonMalformed     = "malformed"
	ReasonTooLarge      = "too_large"
	ReasonUnknownKey    = "unknown_key"
	ReasonBadSignature  = "bad_signature"
	ReasonExpired       = "expired"
	ReasonWrongPlatform = "wrong_platform"
	ReasonNotNewer      = "downgrade"
	ReasonNoSpace       = "no_space"
	ReasonNoBuild       = "no_build"
)

var reasons = []struct {
	err    error
	reason string
}{
	{ErrMalformed, ReasonMalformed},
	{ErrTooLarge, ReasonTooLarge},
	{ErrUnknownKey, ReasonUnknownKey},
	{ErrBadSignature, ReasonBadSignature},
	{ErrExpired, ReasonExpired},
	{ErrWrongPlatform, ReasonWrongPlatform},
	{ErrNotNewer, ReasonNotNewer},
	{ErrNoSpace, ReasonNoSpace},
	{ErrNoBuild, ReasonNoBuild},
}

// Reason returns the stable reason string of a refusal returned by Verify or
// Check, or "" when err is not one of them.
func Reason(err error) string {
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.reason
		}
	}
	return ""
}
