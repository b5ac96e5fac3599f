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
			got, err := delta.ApplyBytes(old, patch, int64(len(tt.new)))
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
	old := binaryLike(4096, 3)
	p, _ := delta.Create(old, append(bytes.Clone(old), 'x'))
	huge := bytes.Clone(p)
	binary.LittleEndian.PutUint64(huge[8:16], 1<<40)
	tests := []struct {
		name    string
		patch   []byte
		newSize int64
	}{
		{"garbage", []byte("not a patch, not a patch, not a patch"), 4097},
		{"short", []byte("BSDIFF40"), 4097},
		{"huge control block", huge, 4097},
		{"wrong new size", p, 1 << 40},
	}
	for _, tt := range tests {
		if _, err := delta.ApplyBytes(old, tt.patch, tt.newSize); !errors.Is(err, delta.ErrPatch) {
			t.Errorf("%s: err = %v, want ErrPatch", tt.name, err)
		}
	}
}

func FuzzApply(f *testing.F) {
	old := binaryLike(4096, 3)
	p, _ := delta.Create(old, append(bytes.Clone(old), 'x'))
	f.Add(p)
	f.Add([]byte("BSDIFF40"))
	f.Fuzz(func(t *testing.T, patch []byte) {
		_, _ = delta.ApplyBytes(old, patch, 4097) // must not panic or exhaust memory
	})
}
