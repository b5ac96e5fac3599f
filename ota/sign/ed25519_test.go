package sign

import (
	"crypto/ed25519"
	"testing"
)

// TestSignEd25519: the plain signature verifies with the public key's raw
// Ed25519 form, and not for another message or another key.
func TestSignEd25519(t *testing.T) {
	kp, err := GenerateKey("")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := GenerateKey("")
	priv, _ := ParsePrivateKey(kp.Secret, "")
	pub, _ := ParsePublicKey(string(kp.Public))
	otherPub, _ := ParsePublicKey(string(other.Public))
	sig := priv.SignEd25519([]byte("hello"))
	if len(sig) != ed25519.SignatureSize || len(pub.Ed25519()) != ed25519.PublicKeySize {
		t.Fatalf("sizes: sig %d, key %d", len(sig), len(pub.Ed25519()))
	}
	if !ed25519.Verify(pub.Ed25519(), []byte("hello"), sig) {
		t.Error("signature does not verify")
	}
	if ed25519.Verify(pub.Ed25519(), []byte("hellO"), sig) || ed25519.Verify(otherPub.Ed25519(), []byte("hello"), sig) {
		t.Error("signature verifies for another message or key")
	}
}
