package sign_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/sign"
)

func mustKey(t testing.TB) (sign.KeyPair, sign.PrivateKey) { return otatest.Key(t) }

func TestSignVerify(t *testing.T) {
	kp1, k1 := mustKey(t)
	kp2, k2 := mustKey(t)
	_, stranger := mustKey(t)
	kr, err := sign.NewKeyring(string(kp1.Public), strings.Split(string(kp2.Public), "\n")[1])
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("manifest bytes")
	tests := []struct {
		name string
		msg  []byte
		sig  []byte
		want error
	}{
		{"first key", msg, sign.Sign(k1, msg, "c1"), nil},
		{"rotated key", msg, sign.Sign(k2, msg, "c2"), nil},
		{"unknown key", msg, sign.Sign(stranger, msg, ""), sign.ErrUnknownKey},
		{"tampered message", []byte("manifest bytez"), sign.Sign(k1, msg, ""), sign.ErrBadSignature},
		{"garbage", msg, []byte("not a signature"), sign.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := kr.Verify(tt.msg, tt.sig)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
			_, err = kr.VerifyReader(bytes.NewReader(tt.msg), tt.sig)
			if !errors.Is(err, tt.want) {
				t.Fatalf("VerifyReader = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestTrustedCommentAndIDs(t *testing.T) {
	kp, k := mustKey(t)
	kr, err := sign.NewKeyring(string(kp.Public))
	if err != nil {
		t.Fatal(err)
	}
	info, err := kr.Verify([]byte("x"), sign.Sign(k, []byte("x"), "artifact agent 1.2.0"))
	if err != nil {
		t.Fatal(err)
	}
	if info.TrustedComment != "artifact agent 1.2.0" || info.KeyID != kp.ID || !info.Prehashed {
		t.Fatalf("info = %+v, key id %s", info, kp.ID)
	}
	if ids := kr.IDs(); len(ids) != 1 || ids[0] != kp.ID || k.ID() != kp.ID {
		t.Fatalf("IDs = %v, want [%s]", ids, kp.ID)
	}
}

func TestKeyringRefusesBadKeys(t *testing.T) {
	if _, err := sign.NewKeyring(); !errors.Is(err, sign.ErrNoKeys) {
		t.Fatalf("empty keyring: %v", err)
	}
	if _, err := sign.NewKeyring("nope"); !errors.Is(err, sign.ErrMalformed) {
		t.Fatalf("bad key: %v", err)
	}
	if _, err := sign.ParsePrivateKey([]byte("nope"), ""); !errors.Is(err, sign.ErrMalformed) {
		t.Fatalf("bad secret key: %v", err)
	}
}

func minisignTool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign tool not installed (apt-get install minisign)")
	}
	return path
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func write(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMinisignVerifiesOurs: our key files and signatures work with the tool.
func TestMinisignVerifiesOurs(t *testing.T) {
	tool := minisignTool(t)
	dir := t.TempDir()
	kp, k := mustKey(t)
	pub := write(t, filepath.Join(dir, "k.pub"), kp.Public)
	msg := write(t, filepath.Join(dir, "m"), []byte("hello fleet"))
	write(t, msg+".minisig", sign.Sign(k, []byte("hello fleet"), "drover test"))
	out := run(t, tool, "-V", "-p", pub, "-m", msg)
	if !strings.Contains(out, "drover test") {
		t.Fatalf("minisign output lacks trusted comment: %s", out)
	}
	// The tool signs with our secret key file too.
	sec := write(t, filepath.Join(dir, "k.key"), kp.Secret)
	other := write(t, filepath.Join(dir, "o"), []byte("other"))
	run(t, tool, "-S", "-s", sec, "-m", other)
	run(t, tool, "-V", "-p", pub, "-m", other)
}

// TestWeVerifyMinisign: keys and signatures made by the tool work here,
// both the default pre-hashed and the legacy (-l) signatures.
func TestWeVerifyMinisign(t *testing.T) {
	tool := minisignTool(t)
	dir := t.TempDir()
	pub, sec := filepath.Join(dir, "t.pub"), filepath.Join(dir, "t.key")
	run(t, tool, "-G", "-W", "-p", pub, "-s", sec)
	pk, err := sign.LoadPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	kr, err := sign.NewKeyring(pk.String())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("artifact bytes")
	msg := write(t, filepath.Join(dir, "m"), data)
	for _, legacy := range []bool{false, true} {
		args := []string{"-S", "-s", sec, "-m", msg, "-t", "made by the tool"}
		if legacy {
			args = append(args, "-l")
		}
		run(t, tool, args...)
		sig, err := os.ReadFile(msg + ".minisig")
		if err != nil {
			t.Fatal(err)
		}
		info, err := kr.Verify(data, sig)
		if err != nil || info.TrustedComment != "made by the tool" || info.Prehashed == legacy {
			t.Fatalf("legacy=%v: info %+v err %v", legacy, info, err)
		}
		if _, err := kr.Verify(append(data, '!'), sig); !errors.Is(err, sign.ErrBadSignature) {
			t.Fatalf("legacy=%v: tampered message accepted: %v", legacy, err)
		}
		_, err = kr.VerifyReader(bytes.NewReader(data), sig)
		if legacy != errors.Is(err, sign.ErrLegacyStream) || (!legacy && err != nil) {
			t.Fatalf("legacy=%v: VerifyReader: %v", legacy, err)
		}
	}
	if _, err := sign.LoadPrivateKey(sec, ""); err != nil {
		t.Fatalf("tool's unencrypted secret key: %v", err)
	}
}
