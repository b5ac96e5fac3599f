package sign

import "errors"

// Sentinel errors of the sign package. Callers compare them with errors.Is.
var (
	// ErrUnknownKey means a signature names a key id that is not trusted.
	ErrUnknownKey = errors.New("sign: unknown key")
	// ErrBadSignature means a signature does not match the message.
	ErrBadSignature = errors.New("sign: bad signature")
	// ErrMalformed means a key or a signature is not in minisign format.
	ErrMalformed = errors.New("sign: malformed key or signature")
	// ErrNoKeys means a keyring was built without any trusted key.
	ErrNoKeys = errors.New("sign: no trusted keys")
	// ErrLegacyStream means a legacy (non pre-hashed) signature was given to
	// a streaming verifier, which can only check pre-hashed signatures.
	ErrLegacyStream = errors.New("sign: legacy signature cannot be verified as a stream")
)
