package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/transfer"
)

// publishedPlatforms is the output of a multi-platform publish.
type publishedPlatforms struct {
	Index     manifest.Index      `json:"index"`
	Manifests []manifest.Manifest `json:"manifests"`
}

// publishPlatforms publishes several binaries as one multi-platform
// artifact, each labelled by its ELF header, with a delta per platform
// from the --delta-from binary of the same platform.
func (a *app) publishPlatforms(cmd *cobra.Command, binaries []string, f publishFlags) error {
	if f.prepare != "" || f.manifest != "" || f.signature != "" || f.os != "" || f.arch != "" {
		return usageErrorf("several binaries are signed with --key and labelled by their ELF headers: " +
			"--prepare, --manifest, --signature, --os and --arch take one binary")
	}
	opts, err := a.platformOptions(binaries, f)
	if err != nil {
		return err
	}
	var out publishedPlatforms
	err = a.withPublisher(cmd.Context(), func(ctx context.Context, pub transfer.Publisher) error {
		out.Index, out.Manifests, err = transfer.PublishPlatforms(ctx, pub, opts)
		return err
	})
	if err != nil {
		return fmt.Errorf("publish %s: %w", f.artifact, err)
	}
	return a.out(out, func() *table { return platformsTable(out, opts[0].Topics) })
}

// platformOptions are the publish options of each binary: the flags'
// (with the key loaded once), the platform from its ELF header.
func (a *app) platformOptions(binaries []string, f publishFlags) ([]transfer.PublishOptions, error) {
	deltas := f.deltaFrom
	f.deltaFrom = nil
	base, err := a.publishOptions(binaries[0], f)
	if err != nil {
		return nil, err
	}
	byPlatform := map[string]int{}
	opts := make([]transfer.PublishOptions, len(binaries))
	for i, bin := range binaries {
		o := base
		o.BinaryPath = bin
		if o.OS, o.Arch, err = elfPlatform(bin); err != nil {
			return nil, err
		}
		p := manifest.PlatformName(o.OS, o.Arch)
		if j, dup := byPlatform[p]; dup {
			return nil, usageErrorf("%s and %s are both built for %s", binaries[j], bin, p)
		}
		byPlatform[p] = i
		opts[i] = o
	}
	return opts, matchDeltas(opts, byPlatform, deltas)
}

// matchDeltas gives each build the old binary of its platform.
func matchDeltas(opts []transfer.PublishOptions, byPlatform map[string]int, olds []string) error {
	for _, old := range olds {
		goos, goarch, err := elfPlatform(old)
		if err != nil {
			return err
		}
		p := manifest.PlatformName(goos, goarch)
		i, ok := byPlatform[p]
		switch {
		case !ok:
			return usageErrorf("--delta-from %s is built for %s, and no binary given is", old, p)
		case opts[i].DeltaFrom != "":
			return usageErrorf("--delta-from %s and %s are both built for %s", opts[i].DeltaFrom, old, p)
		}
		opts[i].DeltaFrom = old
	}
	return nil
}

// elfPlatform is the platform of a binary of a multi-platform artifact,
// which must be an ELF binary of a platform Drover builds for.
func elfPlatform(path string) (goos, goarch string, err error) {
	goos, goarch, err = binaryPlatform(path)
	if err != nil {
		return "", "", usageErrorf("%v", err)
	}
	if goos == "" {
		return "", "", usageErrorf("%s: not an ELF binary of a platform Drover builds for", path)
	}
	return goos, goarch, nil
}

func platformsTable(p publishedPlatforms, t transfer.Topics) *table {
	tb := &table{header: []string{"PLATFORM", "MANIFEST", "SIZE", "DELTA", "SHA256"}}
	tb.add("(index)", t.Manifest(), fmt.Sprintf("%s %s (build %d)", p.Index.Artifact, p.Index.Version, p.Index.Build), "-", "-")
	for _, m := range p.Manifests {
		delta := "-"
		if m.Delta != nil {
			delta = fmt.Sprintf("%d bytes from %.12s", m.Delta.Size, m.Delta.BaseSHA256)
		}
		tb.add(manifest.PlatformName(m.OS, m.Arch), t.ForPlatform(m.OS, m.Arch).Manifest(),
			fmt.Sprintf("%d bytes", m.Size), delta, fmt.Sprintf("%.16s", m.SHA256))
	}
	return tb
}
