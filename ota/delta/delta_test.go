package delta_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/drover-iot/drover/ota/delta"
)

func binaryLike(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	old := binaryLike(256<<10, 1)
	small := bytes.Clone(old)
	copy(small[1000:], "one line changed")
	inserted := append(append(bytes.Clone(old[:5000]), []byte("new code here")...), old[5000:]...)
	tests := []struct {
		name string
		new  []byte
	}{
		{"identical", bytes.Clone(old)},
		{"small edit", small},
		{"insertion", inserted},
		{"unrelated", binaryLike(100<<10, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			patch, err := delta.Create(old, tt.new)
			if err != nil {
				t.Fatal(err)
			}
			got, err := delta.ApplyBytes(old, patch)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.new) {
				t.Fatal("patched output differs from the new binary")
			}
			if tt.name != "unrelated" && len(patch) > len(tt.new)/10 {
				t.Fatalf("patch %d bytes for a %d-byte binary: not a delta", len(patch), len(tt.new))
			}
		})
	}
}

func TestApplyRefusesGarbage(t *testing.T) {
	if _, err := delta.ApplyBytes([]byte("old"), []byte("not a patch")); !errors.Is(err, delta.ErrPatch) {
		t.Fatalf("err = %v, want ErrPatch", err)
	}
}

func FuzzApply(f *testing.F) {
	old := binaryLike(4096, 3)
	p, _ := delta.Create(old, append(bytes.Clone(old), 'x'))
	f.Add(p)
	f.Add([]byte("BSDIFF40"))
	f.Fuzz(func(t *testing.T, patch []byte) {
		if len(patch) >= 32 && binary.LittleEndian.Uint64(patch[24:32]) > 1<<20 {
			return // the header's new size is allocated up front: bound it
		}
		_, _ = delta.ApplyBytes(old, patch) // must not panic
	})
}
