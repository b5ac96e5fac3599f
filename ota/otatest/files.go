package otatest

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/drover-iot/drover/ota/sign"
)

// Key makes an unencrypted key pair and its parsed private key.
func Key(t testing.TB) (sign.KeyPair, sign.PrivateKey) {
	t.Helper()
	kp, err := sign.GenerateKey("")
	if err != nil {
		t.Fatal(err)
	}
	priv, err := sign.ParsePrivateKey(kp.Secret, "")
	if err != nil {
		t.Fatal(err)
	}
	return kp, priv
}

// Keyring trusts the given key pairs.
func Keyring(t testing.TB, pairs ...sign.KeyPair) *sign.Keyring {
	t.Helper()
	texts := make([]string, len(pairs))
	for i, p := range pairs {
		texts[i] = string(p.Public)
	}
	kr, err := sign.NewKeyring(texts...)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// RandomBytes returns n pseudo-random bytes from seed.
func RandomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// WriteFile writes data to name under dir (mode 0755) and returns its path.
func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
