package transfer_test

import (
	"context"
	"errors"
	"testing"

	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/sign"
	"github.com/drover-iot/drover/ota/transfer"
)

// platformOpts are the options of two builds of one artifact (not ELF
// files, so their platforms are given).
func platformOpts(t *testing.T) ([]transfer.PublishOptions, *sign.Keyring) {
	dir := t.TempDir()
	kp, key := otatest.Key(t)
	base := transfer.PublishOptions{Topics: topics, Version: "1.1.0", Build: 11, ChunkSize: 1024, Key: &key, Now: now}
	arm, amd := base, base
	arm.BinaryPath, arm.OS, arm.Arch = otatest.WriteFile(t, dir, "arm", otatest.RandomBytes(3000, 1)), "linux", "arm64"
	amd.BinaryPath, amd.OS, amd.Arch = otatest.WriteFile(t, dir, "amd", otatest.RandomBytes(5000, 2)), "linux", "amd64"
	return []transfer.PublishOptions{arm, amd}, otatest.Keyring(t, kp)
}

func TestPublishPlatforms(t *testing.T) {
	opts, keys := platformOpts(t)
	b := otatest.NewBroker()
	ix, ms, err := transfer.PublishPlatforms(context.Background(), b, opts)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"linux/amd64", "linux/arm64"}; len(ix.Platforms) != 2 || ix.Platforms[0] != want[0] || ix.Platforms[1] != want[1] {
		t.Errorf("index platforms %v, want %v", ix.Platforms, want)
	}
	env, ok := b.Retained(topics.Manifest())
	if !ok {
		t.Fatal("no index at the artifact's manifest topic")
	}
	signed, err := manifest.Open(env, keys)
	if err != nil {
		t.Fatalf("index envelope: %v", err)
	}
	if got, err := manifest.ParseIndex(signed); err != nil || got.Build != 11 {
		t.Errorf("signed index %+v, %v", got, err)
	}
	for _, m := range ms {
		pt := topics.ForPlatform(m.OS, m.Arch)
		if _, ok := b.Retained(pt.Manifest()); !ok {
			t.Errorf("no manifest at %s", pt.Manifest())
		}
		if _, ok := b.Retained(pt.Chunk(transfer.KindFull, len(m.Chunks)-1)); !ok {
			t.Errorf("no last chunk under %s", pt.Manifest())
		}
	}
	if want := len(ms[0].Chunks) + len(ms[1].Chunks) + 3; b.Count() != want {
		t.Errorf("%d retained messages, want %d (chunks, 2 manifests, the index)", b.Count(), want)
	}
}

func TestPublishPlatformsRefuses(t *testing.T) {
	tests := []struct {
		name string
		edit func([]transfer.PublishOptions)
		want error
	}{
		{"same platform twice", func(o []transfer.PublishOptions) { o[1].Arch = "arm64" }, transfer.ErrDuplicatePlatform},
		{"another build", func(o []transfer.PublishOptions) { o[1].Build = 12 }, transfer.ErrPlatformsDiffer},
		{"no key", func(o []transfer.PublishOptions) { o[0].Key, o[1].Key = nil, nil }, transfer.ErrNoSigner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, _ := platformOpts(t)
			tt.edit(opts)
			b := otatest.NewBroker()
			if _, _, err := transfer.PublishPlatforms(context.Background(), b, opts); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if b.Count() != 0 {
				t.Errorf("%d messages published before the refusal", b.Count())
			}
		})
	}
}
