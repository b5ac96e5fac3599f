package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/drover-iot/drover/ota/sign"
)

// MaxEnvelopeSize bounds a manifest envelope read from the broker. At the
// default chunk size it is room for artifacts of many GiB.
const MaxEnvelopeSize = 4 << 20

// Envelope is what is published, retained, on drover/ota/<artifact>/manifest:
//
//	{"v":1,"manifest":"<base64 of the manifest bytes>","signature":"<.minisig text>"}
//
// Manifest holds the exact signed bytes, so `minisign -Vm` can check them
// once they are written to a file.
type Envelope struct {
	V         int    `json:"v"`
	Manifest  []byte `json:"manifest"`
	Signature string `json:"signature"`
}

// Seal signs the manifest bytes with key and returns the encoded envelope.
func Seal(manifest []byte, key sign.PrivateKey, trusted string) ([]byte, error) {
	return Wrap(manifest, sign.Sign(key, manifest, trusted))
}

// Wrap builds the encoded envelope from manifest bytes and a signature made
// elsewhere, for example by `minisign -Sm manifest.json`.
func Wrap(manifest, signature []byte) ([]byte, error) {
	if _, err := sign.ParseSignature(signature); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	env := Envelope{V: FormatVersion, Manifest: manifest, Signature: string(signature)}
	b, err := json.Marshal(env)
	if err != nil {
		return nil, fmt.Errorf("manifest: encode envelope: %w", err)
	}
	return b, nil
}

// DecodeEnvelope parses an envelope without verifying it.
func DecodeEnvelope(data []byte) (Envelope, error) {
	if len(data) > MaxEnvelopeSize {
		return Envelope{}, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(data))
	}
	var env Envelope
	if err := strictUnmarshal(data, &env); err != nil {
		return Envelope{}, fmt.Errorf("%w: envelope: %w", ErrMalformed, err)
	}
	if env.V != FormatVersion {
		return Envelope{}, fmt.Errorf("%w: envelope version %d", ErrMalformed, env.V)
	}
	return env, nil
}

// Verify decodes an envelope, checks its signature against the trusted keys,
// decodes and validates the manifest and refuses it when expired at now.
// Errors wrap ErrTooLarge, ErrMalformed, ErrUnknownKey, ErrBadSignature or
// ErrExpired.
func Verify(data []byte, keys *sign.Keyring, now time.Time) (Manifest, error) {
	signed, err := Open(data, keys)
	if err != nil {
		return Manifest{}, err
	}
	m, err := Parse(signed)
	if err != nil {
		return Manifest{}, err
	}
	if !now.Before(m.ExpiresAt) {
		return Manifest{}, fmt.Errorf("%w: at %s", ErrExpired, m.ExpiresAt.Format(time.RFC3339))
	}
	return m, nil
}

// Parse decodes and validates manifest bytes without any signature check
// (for example a manifest file about to be signed by the minisign tool).
func Parse(data []byte) (Manifest, error) {
	var m Manifest
	if err := strictUnmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err := m.Validate(); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

func signatureError(err error) error {
	switch {
	case errors.Is(err, sign.ErrUnknownKey):
		return fmt.Errorf("%w: %w", ErrUnknownKey, err)
	case errors.Is(err, sign.ErrBadSignature):
		return fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}

func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}
