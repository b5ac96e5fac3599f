package manifest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/sign"
)

var now = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

type keys struct {
	pair sign.KeyPair
	priv sign.PrivateKey
}

func newKeys(t testing.TB) keys {
	t.Helper()
	kp, priv := otatest.Key(t)
	return keys{kp, priv}
}

func sample(t testing.TB) manifest.Manifest {
	t.Helper()
	blob, err := manifest.HashBlob(bytes.NewReader(bytes.Repeat([]byte("drover"), 1000)), 1024)
	if err != nil {
		t.Fatal(err)
	}
	return manifest.Manifest{
		V: manifest.FormatVersion, Artifact: "agent", Version: "1.2.0", Build: 12,
		OS: "linux", Arch: "arm64", Blob: blob,
		CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour),
	}
}

func seal(t testing.TB, m manifest.Manifest, k keys) []byte {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	env, err := manifest.Seal(b, k.priv, "agent 1.2.0")
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func TestHashBlob(t *testing.T) {
	tests := []struct {
		size, chunk, chunks int
	}{{6000, 1024, 6}, {1024, 1024, 1}, {1025, 1024, 2}, {1, 1024, 1}}
	for _, tt := range tests {
		b, err := manifest.HashBlob(bytes.NewReader(make([]byte, tt.size)), tt.chunk)
		if err != nil || len(b.Chunks) != tt.chunks || b.Size != int64(tt.size) {
			t.Fatalf("%+v: got %d chunks size %d err %v", tt, len(b.Chunks), b.Size, err)
		}
		if last := b.ChunkLen(tt.chunks - 1); last != tt.size-(tt.chunks-1)*tt.chunk {
			t.Fatalf("%+v: last chunk len %d", tt, last)
		}
	}
}

func TestVerify(t *testing.T) {
	k, stranger := newKeys(t), newKeys(t)
	rotated := newKeys(t)
	kr, err := sign.NewKeyring(string(k.pair.Public), string(rotated.pair.Public))
	if err != nil {
		t.Fatal(err)
	}
	good := sample(t)
	expired := sample(t)
	expired.ExpiresAt = now
	tampered := func() []byte {
		var env manifest.Envelope
		_ = json.Unmarshal(seal(t, good, k), &env)
		env.Manifest = bytes.Replace(env.Manifest, []byte(`"build": 12`), []byte(`"build": 99`), 1)
		b, _ := json.Marshal(env)
		return b
	}()
	bad := sample(t)
	bad.Chunks = bad.Chunks[1:]
	badBytes, _ := json.Marshal(bad)
	malformed, _ := manifest.Wrap(badBytes, sign.Sign(k.priv, badBytes, ""))
	tests := []struct {
		name   string
		env    []byte
		want   error
		reason string
	}{
		{"good", seal(t, good, k), nil, ""},
		{"rotated key", seal(t, good, rotated), nil, ""},
		{"unknown key", seal(t, good, stranger), manifest.ErrUnknownKey, "unknown_key"},
		{"tampered", tampered, manifest.ErrBadSignature, "bad_signature"},
		{"expired", seal(t, expired, k), manifest.ErrExpired, "expired"},
		{"chunk count", malformed, manifest.ErrMalformed, "malformed"},
		{"not json", []byte("{"), manifest.ErrMalformed, "malformed"},
		{"too large", make([]byte, manifest.MaxEnvelopeSize+1), manifest.ErrTooLarge, "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := manifest.Verify(tt.env, kr, now)
			if !errors.Is(err, tt.want) || manifest.Reason(err) != tt.reason {
				t.Fatalf("Verify = %v (reason %q), want %v", err, manifest.Reason(err), tt.want)
			}
			if err == nil && (m.Build != 12 || m.SHA256 != good.SHA256) {
				t.Fatalf("manifest = %+v", m)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	m := sample(t)
	down := sample(t)
	down.AllowDowngrade = true
	ok := manifest.Running{Build: 11, OS: "linux", Arch: "arm64", FreeBytes: 1 << 30}
	with := func(f func(*manifest.Running)) manifest.Running { r := ok; f(&r); return r }
	tests := []struct {
		name string
		m    manifest.Manifest
		r    manifest.Running
		want error
	}{
		{"newer", m, ok, nil},
		{"wrong arch", m, with(func(r *manifest.Running) { r.Arch = "amd64" }), manifest.ErrWrongPlatform},
		{"wrong os", m, with(func(r *manifest.Running) { r.OS = "darwin" }), manifest.ErrWrongPlatform},
		{"same build", m, with(func(r *manifest.Running) { r.Build = 12 }), manifest.ErrNotNewer},
		{"downgrade", m, with(func(r *manifest.Running) { r.Build = 13; r.AllowDowngrade = true }), manifest.ErrNotNewer},
		{"downgrade not consented", down, with(func(r *manifest.Running) { r.Build = 13 }), manifest.ErrNotNewer},
		{"downgrade allowed", down, with(func(r *manifest.Running) { r.Build = 13; r.AllowDowngrade = true }), nil},
		{"no space", m, with(func(r *manifest.Running) { r.FreeBytes = uint64(m.Size) }), manifest.ErrNoSpace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := manifest.Check(tt.m, tt.r); !errors.Is(err, tt.want) {
				t.Fatalf("Check = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestMinisignToolVerifiesManifest: the bytes in the envelope verify with
// the minisign tool, and a manifest signed by the tool is accepted.
func TestMinisignToolVerifiesManifest(t *testing.T) {
	tool, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign tool not installed")
	}
	dir := t.TempDir()
	k := newKeys(t)
	var env manifest.Envelope
	if err := json.Unmarshal(seal(t, sample(t), k), &env); err != nil {
		t.Fatal(err)
	}
	mpath, pub, sec := filepath.Join(dir, "m.json"), filepath.Join(dir, "k.pub"), filepath.Join(dir, "k.key")
	writeFile(t, mpath, env.Manifest)
	writeFile(t, mpath+".minisig", []byte(env.Signature))
	writeFile(t, pub, k.pair.Public)
	writeFile(t, sec, k.pair.Secret)
	if out, err := exec.Command(tool, "-V", "-p", pub, "-m", mpath).CombinedOutput(); err != nil {
		t.Fatalf("minisign -V: %v\n%s", err, out)
	}
	if out, err := exec.Command(tool, "-S", "-s", sec, "-m", mpath).CombinedOutput(); err != nil {
		t.Fatalf("minisign -S: %v\n%s", err, out)
	}
	sig, _ := os.ReadFile(mpath + ".minisig")
	wrapped, err := manifest.Wrap(env.Manifest, sig)
	if err != nil {
		t.Fatal(err)
	}
	kr, _ := sign.NewKeyring(string(k.pair.Public))
	if _, err := manifest.Verify(wrapped, kr, now); err != nil {
		t.Fatalf("tool-signed manifest refused: %v", err)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func FuzzVerify(f *testing.F) {
	k := newKeys(f)
	kr, _ := sign.NewKeyring(string(k.pair.Public))
	f.Add(seal(f, sample(f), k))
	f.Add([]byte(`{"v":1,"manifest":"e30=","signature":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := manifest.Verify(data, kr, now)
		if err != nil {
			if manifest.Reason(err) == "" {
				t.Fatalf("refusal without reason: %v", err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("accepted an invalid manifest: %v", err)
		}
	})
}

func FuzzParse(f *testing.F) {
	b, _ := func() ([]byte, error) { m := sample(f); return m.Marshal() }()
	f.Add(b)
	f.Add([]byte(`{"v":1,"artifact":"a","delta":{"base_sha256":"00"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := manifest.Parse(data)
		if err != nil {
			if manifest.Reason(err) != manifest.ReasonMalformed {
				t.Fatalf("parse error without malformed reason: %v", err)
			}
			return
		}
		again, err := m.Marshal()
		if err != nil {
			t.Fatalf("valid manifest does not marshal: %v", err)
		}
		if _, err := manifest.Parse(again); err != nil {
			t.Fatalf("round trip: %v", err)
		}
	})
}
