package transfer

import (
	"context"
	"fmt"
	"slices"

	"github.com/drover-iot/drover/ota/manifest"
)

// PublishPlatforms publishes one artifact built for several platforms: each
// build's chunks and manifest under <artifact>/<os>-<arch>/ (Publish with
// Topics.ForPlatform), then the signed index at the artifact's manifest
// topic, so a device that sees the index finds its platform's manifest.
// Every opts shares Topics, Version, Build and Key (a key is required);
// each has its own BinaryPath and DeltaFrom, and its OS/Arch default to
// the binary's ELF header.
func PublishPlatforms(ctx context.Context, pub Publisher, opts []PublishOptions) (manifest.Index, []manifest.Manifest, error) {
	if len(opts) == 0 {
		return manifest.Index{}, nil, fmt.Errorf("%w: no binary", ErrPlatformsDiffer)
	}
	entry := opts[0].Topics.Manifest()
	opts, err := platformOptions(opts)
	if err != nil {
		return manifest.Index{}, nil, err
	}
	ms := make([]manifest.Manifest, 0, len(opts))
	for _, o := range opts {
		m, err := Publish(ctx, pub, o)
		if err != nil {
			return manifest.Index{}, ms, fmt.Errorf("transfer: publish %s/%s: %w", o.OS, o.Arch, err)
		}
		ms = append(ms, m)
	}
	ix, env, err := sealIndex(opts, ms)
	if err != nil {
		return ix, ms, err
	}
	if err := pub.Publish(entry, 1, true, env); err != nil {
		return ix, ms, fmt.Errorf("transfer: publish index: %w", err)
	}
	return ix, ms, nil
}

// platformOptions fills each build's platform and topics and checks that
// the builds belong to one artifact, one platform each.
func platformOptions(opts []PublishOptions) ([]PublishOptions, error) {
	if opts[0].Key == nil {
		return nil, fmt.Errorf("%w: a multi-platform artifact is signed with a key", ErrNoSigner)
	}
	out := make([]PublishOptions, len(opts))
	seen := map[string]string{}
	for i, o := range opts {
		first := opts[0]
		if o.Topics != first.Topics || o.Version != first.Version || o.Build != first.Build || o.Key != first.Key {
			return nil, fmt.Errorf("%w: %s", ErrPlatformsDiffer, o.BinaryPath)
		}
		o = o.withDefaults()
		p := manifest.PlatformName(o.OS, o.Arch)
		if prev, dup := seen[p]; dup {
			return nil, fmt.Errorf("%w: %s and %s are both %s", ErrDuplicatePlatform, prev, o.BinaryPath, p)
		}
		seen[p] = o.BinaryPath
		o.Topics = o.Topics.ForPlatform(o.OS, o.Arch)
		out[i] = o
	}
	return out, nil
}

// sealIndex builds and signs the index of the published builds.
func sealIndex(opts []PublishOptions, ms []manifest.Manifest) (manifest.Index, []byte, error) {
	ix := manifest.Index{V: manifest.FormatVersion, Artifact: ms[0].Artifact, Version: ms[0].Version,
		Build: ms[0].Build, CreatedAt: ms[0].CreatedAt}
	for _, m := range ms {
		ix.Platforms = append(ix.Platforms, manifest.PlatformName(m.OS, m.Arch))
	}
	slices.Sort(ix.Platforms)
	if err := ix.Validate(); err != nil {
		return ix, nil, err
	}
	b, err := ix.Marshal()
	if err != nil {
		return ix, nil, err
	}
	trusted := fmt.Sprintf("drover %s %s build %d index", ix.Artifact, ix.Version, ix.Build)
	env, err := manifest.Seal(b, *opts[0].Key, trusted)
	return ix, env, err
}
