// Package sign makes and checks minisign keys and signatures for OTA
// manifests and artifacts. Key files and signatures are byte-compatible
// with the minisign tool: a signature made here verifies with
// `minisign -Vm`, and one made by `minisign -Sm` verifies here.
package sign

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"os"
	"strings"

	"aead.dev/minisign"
)

// KeyPair is the text of a minisign public and secret key file.
type KeyPair struct {
	// Public is the content of a minisign .pub file.
	Public []byte
	// Secret is the content of a minisign .key file, encrypted with the
	// password given to GenerateKey, or unencrypted when it was empty.
	Secret []byte
	// ID is the key id, as minisign prints it (upper-case hex).
	ID string
}

// GenerateKey makes a new key pair. An empty password leaves the secret key
// unencrypted (like `minisign -G -W`); otherwise it is encrypted with
// scrypt as minisign does, which costs about 1 GiB of memory for a moment.
func GenerateKey(password string) (KeyPair, error) {
	pub, priv, err := minisign.GenerateKey(nil)
	if err != nil {
		return KeyPair{}, fmt.Errorf("sign: generate key: %w", err)
	}
	pubText, _ := pub.MarshalText() // never fails
	secret, err := secretText(priv, password)
	if err != nil {
		return KeyPair{}, err
	}
	return KeyPair{Public: append(pubText, '\n'), Secret: secret, ID: FormatID(pub.ID())}, nil
}

func secretText(priv minisign.PrivateKey, password string) ([]byte, error) {
	var text []byte
	var err error
	if password == "" {
		text, err = priv.MarshalText()
	} else {
		text, err = minisign.EncryptKey(password, priv)
	}
	if err != nil {
		return nil, fmt.Errorf("sign: encode secret key: %w", err)
	}
	return append(text, '\n'), nil
}

// FormatID renders a key id the way minisign prints it: 16 upper-case hex
// digits, zero-padded ("%016X").
func FormatID(id uint64) string {
	return fmt.Sprintf("%016X", id)
}

// PrivateKey is a secret key that can sign.
type PrivateKey struct {
	key minisign.PrivateKey
}

// ParsePrivateKey decodes the text of a minisign secret key file, decrypting
// it with password when it is encrypted.
func ParsePrivateKey(text []byte, password string) (PrivateKey, error) {
	var k minisign.PrivateKey
	var err error
	if minisign.IsEncrypted(text) {
		k, err = minisign.DecryptKey(password, text)
	} else {
		err = k.UnmarshalText(text)
	}
	if err != nil {
		return PrivateKey{}, fmt.Errorf("%w: secret key: %w", ErrMalformed, err)
	}
	return PrivateKey{key: k}, nil
}

// LoadPrivateKey reads and decodes a minisign secret key file.
func LoadPrivateKey(path, password string) (PrivateKey, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return PrivateKey{}, fmt.Errorf("sign: read secret key: %w", err)
	}
	return ParsePrivateKey(text, password)
}

// ID returns the key id in minisign's upper-case hex.
func (k PrivateKey) ID() string { return FormatID(k.key.ID()) }

// PublicKey is a trusted minisign public key.
type PublicKey struct {
	key minisign.PublicKey
}

// ParsePublicKey decodes a minisign public key: either a whole .pub file or
// only its base64 line (the form used in the agent's ota.trusted_keys).
func ParsePublicKey(text string) (PublicKey, error) {
	var k minisign.PublicKey
	if err := k.UnmarshalText([]byte(strings.TrimSpace(text))); err != nil {
		return PublicKey{}, fmt.Errorf("%w: public key: %w", ErrMalformed, err)
	}
	return PublicKey{key: k}, nil
}

// LoadPublicKey reads and decodes a minisign .pub file.
func LoadPublicKey(path string) (PublicKey, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return PublicKey{}, fmt.Errorf("sign: read public key: %w", err)
	}
	return ParsePublicKey(string(text))
}

// ID returns the key id in minisign's upper-case hex.
func (k PublicKey) ID() string { return FormatID(k.key.ID()) }

// String returns the base64 line of the key, as put in trusted_keys.
func (k PublicKey) String() string { return k.key.String() }

// SignEd25519 returns the plain Ed25519 signature of msg (the message
// signature inside a legacy minisign signature), so that the key can sign
// commands and documents (it implements fleet.Signer).
func (k PrivateKey) SignEd25519(msg []byte) []byte {
	var s minisign.Signature
	_ = s.UnmarshalText(minisign.SignWithComments(k.key, msg, "", "")) // the library's own output parses
	return s.Signature[:]
}

// Ed25519 returns the raw Ed25519 public key, which verifies what
// SignEd25519 made.
func (k PublicKey) Ed25519() ed25519.PublicKey {
	raw, _ := base64.StdEncoding.DecodeString(k.key.String()) // the library's own encoding
	const header = 10                                         // algorithm (2 bytes), key id (8 bytes)
	return ed25519.PublicKey(raw[header:])
}
