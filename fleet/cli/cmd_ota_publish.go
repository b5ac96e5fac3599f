package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/sign"
	"github.com/drover-iot/drover/ota/transfer"
)

// publishOptions turns the flags into transfer.PublishOptions, loading
// the key or the signed manifest.
func (a *app) publishOptions(binary string, f publishFlags) (transfer.PublishOptions, error) {
	goos, goarch, err := platform(binary, f.os, f.arch)
	if err != nil {
		return transfer.PublishOptions{}, err
	}
	o := transfer.PublishOptions{
		Topics: transfer.Topics{Prefix: a.s.Prefix, Artifact: f.artifact}, BinaryPath: binary,
		Version: f.version, Build: f.build, OS: goos, Arch: goarch, ChunkSize: f.chunkSize,
		Expires: f.expires, AllowDowngrade: f.allowDowngrade, Now: a.opts.Clock.Now(),
	}
	if len(f.deltaFrom) > 1 {
		return o, usageErrorf("one --delta-from for one binary (several are for several binaries)")
	}
	if len(f.deltaFrom) == 1 {
		o.DeltaFrom = f.deltaFrom[0]
	}
	switch {
	case f.prepare != "":
	case f.key != "" && f.manifest == "":
		k, err := sign.LoadPrivateKey(f.key, a.opts.Getenv(keyPasswordEnv))
		if err != nil {
			return o, usageErrorf("--key: %v", err)
		}
		o.Key = &k
	case f.manifest != "" && f.signature != "" && f.key == "":
		m, err := os.ReadFile(f.manifest)
		if err != nil {
			return o, usageErrorf("--manifest: %v", err)
		}
		sig, err := os.ReadFile(f.signature)
		if err != nil {
			return o, usageErrorf("--signature: %v", err)
		}
		parsed, err := manifest.Parse(m)
		if err != nil {
			return o, usageErrorf("--manifest: %v", err)
		}
		o.Signed = &transfer.Signed{Manifest: m, Signature: sig}
		o.Version, o.Build, o.Topics.Artifact = parsed.Version, parsed.Build, parsed.Artifact
		return o, nil
	default:
		return o, usageErrorf("give --key, or --manifest with --signature, or --prepare")
	}
	if o.Version == "" || o.Build == 0 {
		return o, usageErrorf("--version and a --build above 0 are required")
	}
	return o, nil
}

func (a *app) publish(cmd *cobra.Command, binary string, f publishFlags) error {
	o, err := a.publishOptions(binary, f)
	if err != nil {
		return err
	}
	if f.prepare != "" {
		return a.prepare(o, f.prepare)
	}
	var m manifest.Manifest
	err = a.withPublisher(cmd.Context(), func(ctx context.Context, pub transfer.Publisher) error {
		m, err = transfer.Publish(ctx, pub, o)
		return err
	})
	if err != nil {
		return fmt.Errorf("publish %s: %w", o.Topics.Artifact, err)
	}
	return a.out(m, func() *table { return manifestTable(m, o.Topics) })
}

// prepare writes the unsigned manifest for `minisign -Sm`.
func (a *app) prepare(o transfer.PublishOptions, path string) error {
	m, _, err := transfer.Prepare(o) // the second value is the delta patch, made again by publish
	if err != nil {
		return err
	}
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(a.opts.Stdout, "wrote %s (%s %s build %d, %d chunks); sign it with: minisign -Sm %s\n",
		path, m.Artifact, m.Version, m.Build, len(m.Chunks), path)
	return nil
}

func manifestTable(m manifest.Manifest, t transfer.Topics) *table {
	tb := &table{header: []string{"FIELD", "VALUE"}}
	tb.add("artifact", m.Artifact)
	tb.add("manifest", t.Manifest())
	tb.add("version", fmt.Sprintf("%s (build %d)", m.Version, m.Build))
	tb.add("platform", m.OS+"/"+m.Arch)
	tb.add("size", fmt.Sprintf("%d bytes in %d chunks of %d", m.Size, len(m.Chunks), m.ChunkSize))
	tb.add("sha256", m.SHA256)
	if m.Delta != nil {
		tb.add("delta", fmt.Sprintf("%d bytes in %d chunks, from %.12s", m.Delta.Size, len(m.Delta.Chunks), m.Delta.BaseSHA256))
	}
	tb.add("expires", m.ExpiresAt.Local().Format("2006-01-02 15:04:05"))
	return tb
}
