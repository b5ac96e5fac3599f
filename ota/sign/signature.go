package sign

import (
	"bytes"
	"fmt"
	"io"

	"aead.dev/minisign"
)

// Sign signs msg with a pre-hashed (minisign 0.10+ default) signature and
// returns the text of a .minisig file. trusted is the signed trusted
// comment that `minisign -V` prints.
func Sign(k PrivateKey, msg []byte, trusted string) []byte {
	r := minisign.NewReader(bytes.NewReader(msg))
	_, _ = io.Copy(io.Discard, r) // reading a bytes.Reader never fails
	return r.SignWithComments(k.key, trusted, untrusted(k))
}

// SignReader signs everything read from r (streaming, pre-hashed) and
// returns the text of a .minisig file.
func SignReader(k PrivateKey, r io.Reader, trusted string) ([]byte, error) {
	mr := minisign.NewReader(r)
	if _, err := io.Copy(io.Discard, mr); err != nil {
		return nil, fmt.Errorf("sign: read message: %w", err)
	}
	return mr.SignWithComments(k.key, trusted, untrusted(k)), nil
}

func untrusted(k PrivateKey) string {
	return "signature from drover secret key " + k.ID()
}

// Info describes a parsed signature.
type Info struct {
	// KeyID is the id of the key that made the signature.
	KeyID string
	// TrustedComment is the signed comment.
	TrustedComment string
	// Prehashed is true for minisign's default BLAKE2b pre-hashed signatures.
	Prehashed bool
}

// ParseSignature decodes the text of a .minisig file without verifying it.
func ParseSignature(sig []byte) (Info, error) {
	var s minisign.Signature
	if err := s.UnmarshalText(sig); err != nil {
		return Info{}, fmt.Errorf("%w: signature: %w", ErrMalformed, err)
	}
	return infoOf(s), nil
}
