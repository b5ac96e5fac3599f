package transfer

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/drover-iot/drover/ota/delta"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/sign"
)

// Publisher publishes one MQTT message. The fleet client (paho) and test
// fakes implement it; Publish must return once the broker has it (QoS 1).
type Publisher interface {
	Publish(topic string, qos byte, retained bool, payload []byte) error
}

// DefaultExpiry is how long a published manifest stays valid by default.
const DefaultExpiry = 30 * 24 * time.Hour

// PublishOptions describe an artifact to publish.
type PublishOptions struct {
	// Topics names the artifact and the prefix.
	Topics Topics
	// BinaryPath is the new binary.
	BinaryPath string
	// Version is the human version; Build the monotonic build number.
	Version string
	Build   uint64
	// OS and Arch of the binary. Default: read from its ELF header
	// (manifest.Platform); runtime.GOOS, runtime.GOARCH for a non-ELF file.
	OS, Arch string
	// ChunkSize of the chunks. Default: manifest.DefaultChunkSize (64 KiB).
	ChunkSize int
	// DeltaFrom is an optional old binary: a bsdiff delta from it is published too.
	DeltaFrom string
	// Expires is the manifest's lifetime. Default: DefaultExpiry.
	Expires        time.Duration
	AllowDowngrade bool
	// Key signs the manifest and the binary. Leave nil and set Signed to
	// publish a manifest signed by the minisign tool.
	Key *sign.PrivateKey
	// Signed is a manifest made by Prepare and signed elsewhere.
	Signed *Signed
	// Now is the creation time. Default: time.Now().
	Now time.Time
}

// Signed is a manifest and its .minisig made outside (minisign -Sm).
type Signed struct {
	Manifest  []byte
	Signature []byte
}

// Prepare builds the manifest of an artifact (hashing the binary and, with
// DeltaFrom, the delta) without signing it, and returns its bytes and the
// delta patch (nil without DeltaFrom).
func Prepare(opts PublishOptions) (manifest.Manifest, []byte, error) {
	opts = opts.withDefaults()
	blob, err := manifest.HashFile(opts.BinaryPath, opts.ChunkSize)
	if err != nil {
		return manifest.Manifest{}, nil, err
	}
	m := manifest.Manifest{
		V: manifest.FormatVersion, Artifact: opts.Topics.Artifact, Version: opts.Version,
		Build: opts.Build, OS: opts.OS, Arch: opts.Arch, Blob: blob,
		AllowDowngrade: opts.AllowDowngrade,
		CreatedAt:      opts.Now.UTC(), ExpiresAt: opts.Now.Add(opts.Expires).UTC(),
	}
	if opts.Key != nil {
		if m.BinarySig, err = signFile(*opts.Key, opts.BinaryPath, m.Version); err != nil {
			return manifest.Manifest{}, nil, err
		}
	}
	patch, err := addDelta(&m, opts)
	if err != nil {
		return manifest.Manifest{}, nil, err
	}
	return m, patch, m.Validate()
}

// platform fills the empty of OS and Arch from the binary's ELF header, or
// with this machine's when the file is no ELF binary (a test blob, a script).
func (o PublishOptions) platform() (goos, goarch string) {
	goos, goarch, err := manifest.Platform(o.BinaryPath)
	if err != nil {
		goos, goarch = runtime.GOOS, runtime.GOARCH
	}
	return cmp.Or(o.OS, goos), cmp.Or(o.Arch, goarch)
}

func (o PublishOptions) withDefaults() PublishOptions {
	if o.OS == "" || o.Arch == "" {
		o.OS, o.Arch = o.platform()
	}
	if o.ChunkSize == 0 {
		o.ChunkSize = manifest.DefaultChunkSize
	}
	if o.Expires == 0 {
		o.Expires = DefaultExpiry
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	return o
}

func signFile(k sign.PrivateKey, path, version string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("transfer: open binary: %w", err)
	}
	defer f.Close()
	sig, err := sign.SignReader(k, f, "drover binary "+version)
	return string(sig), err
}

func addDelta(m *manifest.Manifest, opts PublishOptions) ([]byte, error) {
	if opts.DeltaFrom == "" {
		return nil, nil
	}
	patch, err := delta.CreateFiles(opts.DeltaFrom, opts.BinaryPath)
	if err != nil {
		return nil, err
	}
	base, err := manifest.FileSHA256(opts.DeltaFrom)
	if err != nil {
		return nil, err
	}
	blob, err := manifest.HashBlob(bytes.NewReader(patch), opts.ChunkSize)
	if err != nil {
		return nil, err
	}
	m.Delta = &manifest.Delta{BaseSHA256: base, Blob: blob}
	return patch, nil
}

// Publish prepares, signs and publishes an artifact: the chunks of the
// binary (and of the delta) first, then the manifest envelope, all retained
// QoS 1, so a device that sees the manifest finds every chunk.
func Publish(ctx context.Context, pub Publisher, opts PublishOptions) (manifest.Manifest, error) {
	m, patch, err := Prepare(opts)
	if err != nil {
		return manifest.Manifest{}, err
	}
	env, m, err := envelope(m, opts)
	if err != nil {
		return manifest.Manifest{}, err
	}
	if err := publishFile(ctx, pub, opts.Topics, KindFull, opts.BinaryPath, m.ChunkSize); err != nil {
		return m, err
	}
	if m.Delta != nil {
		err := publishChunks(ctx, pub, opts.Topics, KindDelta, bytes.NewReader(patch), m.Delta.ChunkSize)
		if err != nil {
			return m, err
		}
	}
	if err := pub.Publish(opts.Topics.Manifest(), 1, true, env); err != nil {
		return m, fmt.Errorf("transfer: publish manifest: %w", err)
	}
	return m, nil
}

// envelope signs the prepared manifest, or checks that a manifest signed
// elsewhere describes the same files.
func envelope(m manifest.Manifest, opts PublishOptions) ([]byte, manifest.Manifest, error) {
	switch {
	case opts.Key != nil:
		b, err := m.Marshal()
		if err != nil {
			return nil, m, err
		}
		env, err := manifest.Seal(b, *opts.Key, fmt.Sprintf("drover %s %s build %d", m.Artifact, m.Version, m.Build))
		return env, m, err
	case opts.Signed != nil:
		signed, err := manifest.Parse(opts.Signed.Manifest)
		if err != nil {
			return nil, m, err
		}
		if err := sameFiles(signed, m); err != nil {
			return nil, m, err
		}
		env, err := manifest.Wrap(opts.Signed.Manifest, opts.Signed.Signature)
		return env, signed, err
	}
	return nil, m, ErrNoSigner
}

func sameFiles(signed, built manifest.Manifest) error {
	if signed.SHA256 != built.SHA256 || signed.ChunkSize != built.ChunkSize || signed.Artifact != built.Artifact {
		return fmt.Errorf("%w: binary, chunk size or artifact differ", ErrSignedMismatch)
	}
	if (signed.Delta == nil) != (built.Delta == nil) || (signed.Delta != nil && signed.Delta.SHA256 != built.Delta.SHA256) {
		return fmt.Errorf("%w: delta differs", ErrSignedMismatch)
	}
	return nil
}

func publishFile(ctx context.Context, pub Publisher, t Topics, kind Kind, path string, chunk int) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("transfer: open %s: %w", path, err)
	}
	defer f.Close()
	return publishChunks(ctx, pub, t, kind, f, chunk)
}

// publishChunks publishes r in chunks, one buffer at a time.
func publishChunks(ctx context.Context, pub Publisher, t Topics, kind Kind, r io.Reader, chunk int) error {
	buf := make([]byte, chunk)
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		k, err := io.ReadFull(r, buf)
		last := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !last {
			return fmt.Errorf("transfer: read chunk %d: %w", n, err)
		}
		if k == 0 {
			return nil
		}
		if err := pub.Publish(t.Chunk(kind, n), 1, true, bytes.Clone(buf[:k])); err != nil {
			return fmt.Errorf("transfer: publish chunk %d: %w", n, err)
		}
		if last {
			return nil
		}
	}
}

// GC clears the retained chunks of an artifact (empty retained payloads)
// and, when clearManifest is set, its manifest; m gives the chunk counts.
func GC(ctx context.Context, pub Publisher, t Topics, m manifest.Manifest, clearManifest bool) error {
	clear := func(topic string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := pub.Publish(topic, 1, true, nil); err != nil {
			return fmt.Errorf("transfer: clear %s: %w", topic, err)
		}
		return nil
	}
	if clearManifest {
		if err := clear(t.Manifest()); err != nil {
			return err
		}
	}
	for n := range m.Chunks {
		if err := clear(t.Chunk(KindFull, n)); err != nil {
			return err
		}
	}
	if m.Delta != nil {
		for n := range m.Delta.Chunks {
			if err := clear(t.Chunk(KindDelta, n)); err != nil {
				return err
			}
		}
	}
	return nil
}
