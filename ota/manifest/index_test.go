package manifest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/sign"
)

func sampleIndex() manifest.Index {
	return manifest.Index{V: manifest.FormatVersion, Artifact: "agent", Version: "1.2.3", Build: 7,
		Platforms: []string{"linux/amd64", "linux/arm64"}, CreatedAt: now}
}

func TestIndexCheck(t *testing.T) {
	ix := sampleIndex()
	if err := ix.Check("linux", "arm64"); err != nil {
		t.Errorf("arm64 is built: %v", err)
	}
	err := ix.Check("linux", "riscv64")
	want := "no build for linux/riscv64 in artifact agent 1.2.3; built for linux/amd64, linux/arm64"
	if !errors.Is(err, manifest.ErrNoBuild) || !strings.Contains(err.Error(), want) {
		t.Errorf("riscv64: %v, want ErrNoBuild saying %q", err, want)
	}
	if manifest.Reason(err) != manifest.ReasonNoBuild {
		t.Errorf("reason %q", manifest.Reason(err))
	}
}

func TestIndexValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*manifest.Index)
	}{
		{"version", func(ix *manifest.Index) { ix.V = 2 }},
		{"artifact", func(ix *manifest.Index) { ix.Artifact = "a/b" }},
		{"no version", func(ix *manifest.Index) { ix.Version = "" }},
		{"no platforms", func(ix *manifest.Index) { ix.Platforms = nil }},
		{"unsorted", func(ix *manifest.Index) { ix.Platforms = []string{"linux/arm64", "linux/amd64"} }},
		{"duplicate", func(ix *manifest.Index) { ix.Platforms = []string{"linux/arm64", "linux/arm64"} }},
		{"bad platform", func(ix *manifest.Index) { ix.Platforms = []string{"linux/+"} }},
		{"no arch", func(ix *manifest.Index) { ix.Platforms = []string{"linux"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := sampleIndex()
			tt.edit(&ix)
			if err := ix.Validate(); !errors.Is(err, manifest.ErrMalformed) {
				t.Errorf("Validate = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestIndexIsNotAManifest(t *testing.T) {
	b, err := sampleIndex().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	sm := sample(t)
	m, _ := sm.Marshal()
	if !manifest.IsIndex(b) || manifest.IsIndex(m) || manifest.IsIndex([]byte("{")) {
		t.Error("IsIndex does not tell an index from a manifest")
	}
	if _, err := manifest.Parse(b); !errors.Is(err, manifest.ErrMalformed) {
		t.Errorf("an index parsed as a manifest: %v (older agents must refuse it as malformed)", err)
	}
}

func TestOpenSignedIndex(t *testing.T) {
	k := newKeys(t)
	kr, _ := sign.NewKeyring(string(k.pair.Public))
	b, _ := sampleIndex().Marshal()
	env, err := manifest.Seal(b, k.priv, "index")
	if err != nil {
		t.Fatal(err)
	}
	signed, err := manifest.Open(env, kr)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := manifest.ParseIndex(signed)
	if err != nil || ix.Build != 7 || !ix.Has("linux", "amd64") {
		t.Fatalf("ParseIndex = %+v, %v", ix, err)
	}
	other := newKeys(t)
	okr, _ := sign.NewKeyring(string(other.pair.Public))
	if _, err := manifest.Open(env, okr); !errors.Is(err, manifest.ErrUnknownKey) {
		t.Errorf("Open with another key: %v, want ErrUnknownKey", err)
	}
}

func FuzzParseIndex(f *testing.F) {
	b, _ := sampleIndex().Marshal()
	f.Add(b)
	f.Add([]byte(`{"v":1,"artifact":"a","version":"1","platforms":["linux/arm64","linux/amd64"]}`))
	f.Add([]byte(`{"platforms":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := manifest.ParseIndex(data)
		if err != nil {
			if manifest.Reason(err) != manifest.ReasonMalformed {
				t.Fatalf("parse error without malformed reason: %v", err)
			}
			return
		}
		if !manifest.IsIndex(data) {
			t.Fatalf("a valid index is not recognised: %q", data)
		}
		again, err := ix.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := manifest.ParseIndex(again); err != nil {
			t.Fatalf("round trip: %v", err)
		}
	})
}
