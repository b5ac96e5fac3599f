package sign

import (
	"fmt"
	"io"

	"aead.dev/minisign"
)

// Keyring is a set of trusted public keys, indexed by key id, so a device
// can trust an old and a new key during a rotation.
type Keyring struct {
	keys map[uint64]minisign.PublicKey
}

// NewKeyring parses trusted keys (whole .pub files or their base64 lines).
// It returns ErrNoKeys when keys is empty.
func NewKeyring(keys ...string) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, ErrNoKeys
	}
	kr := &Keyring{keys: make(map[uint64]minisign.PublicKey, len(keys))}
	for i, text := range keys {
		k, err := ParsePublicKey(text)
		if err != nil {
			return nil, fmt.Errorf("trusted key %d: %w", i, err)
		}
		kr.keys[k.key.ID()] = k.key
	}
	return kr, nil
}

// IDs returns the trusted key ids (minisign's hex form), for the birth
// document.
func (kr *Keyring) IDs() []string {
	ids := make([]string, 0, len(kr.keys))
	for id := range kr.keys {
		ids = append(ids, FormatID(id))
	}
	return ids
}

// lookup parses sig and finds its key.
func (kr *Keyring) lookup(sig []byte) (minisign.Signature, minisign.PublicKey, error) {
	var s minisign.Signature
	if err := s.UnmarshalText(sig); err != nil {
		return s, minisign.PublicKey{}, fmt.Errorf("%w: signature: %w", ErrMalformed, err)
	}
	k, ok := kr.keys[s.KeyID]
	if !ok {
		return s, k, fmt.Errorf("%w: key id %s", ErrUnknownKey, FormatID(s.KeyID))
	}
	return s, k, nil
}

// Verify checks that sig (the text of a .minisig file, legacy or
// pre-hashed) signs msg with one of the trusted keys, and returns what the
// signature says about itself.
func (kr *Keyring) Verify(msg, sig []byte) (Info, error) {
	s, k, err := kr.lookup(sig)
	if err != nil {
		return Info{}, err
	}
	if !minisign.Verify(k, msg, sig) {
		return Info{}, fmt.Errorf("%w: key id %s", ErrBadSignature, FormatID(s.KeyID))
	}
	return infoOf(s), nil
}

// VerifyReader checks sig against everything read from r without holding
// the message in memory. Only pre-hashed signatures (minisign's default)
// can be checked this way; a legacy one gives ErrLegacyStream.
func (kr *Keyring) VerifyReader(r io.Reader, sig []byte) (Info, error) {
	s, k, err := kr.lookup(sig)
	if err != nil {
		return Info{}, err
	}
	if s.Algorithm != minisign.HashEdDSA {
		return Info{}, ErrLegacyStream
	}
	mr := minisign.NewReader(r)
	if _, err := io.Copy(io.Discard, mr); err != nil {
		return Info{}, fmt.Errorf("sign: read message: %w", err)
	}
	if !mr.Verify(k, sig) {
		return Info{}, fmt.Errorf("%w: key id %s", ErrBadSignature, FormatID(s.KeyID))
	}
	return infoOf(s), nil
}

func infoOf(s minisign.Signature) Info {
	return Info{
		KeyID:          FormatID(s.KeyID),
		TrustedComment: s.TrustedComment,
		Prehashed:      s.Algorithm == minisign.HashEdDSA,
	}
}

// Key returns the trusted key with the given id (minisign's hex form).
func (kr *Keyring) Key(id string) (PublicKey, bool) {
	for kid, k := range kr.keys {
		if FormatID(kid) == id {
			return PublicKey{key: k}, true
		}
	}
	return PublicKey{}, false
}
