package apply

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/minio/selfupdate"

	"github.com/drover-iot/drover/ota/delta"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/sign"
)

// checkFull streams the staged full binary once: size, sha256 and the
// binary's minisign signature (pre-hashed), in constant memory.
func (m *Machine) checkFull(man manifest.Manifest, staged string) error {
	f, err := os.Open(staged)
	if err != nil {
		return fmt.Errorf("%w: open staged file: %w", ErrVerify, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("%w: read staged file: %w", ErrVerify, err)
	}
	if n != man.Size || hex.EncodeToString(h.Sum(nil)) != man.SHA256 {
		return fmt.Errorf("%w: size or sha256 differ from the manifest", ErrVerify)
	}
	if man.BinarySig == "" {
		return nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("%w: rewind: %w", ErrVerify, err)
	}
	if m.opts.Keys == nil {
		return fmt.Errorf("%w: binary signature but no trusted keys", ErrVerify)
	}
	if _, err := m.opts.Keys.VerifyReader(f, []byte(man.BinarySig)); err != nil {
		return fmt.Errorf("%w: binary signature: %w", ErrVerify, err)
	}
	return nil
}

// prepareDelta applies the delta patch to the running binary with
// minio/selfupdate (BSDiff patcher, sha256 checksum, minisign verifier),
// which writes the candidate next to the binary; selfupdate does not fsync,
// so the candidate is synced here.
func (m *Machine) prepareDelta(man manifest.Manifest, patch string) error {
	f, err := os.Open(patch)
	if err != nil {
		return fmt.Errorf("%w: open patch: %w", ErrVerify, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || delta.CheckHeader(f, fi.Size(), man.Size) != nil {
		return fmt.Errorf("%w: delta patch header does not fit the manifest", ErrVerify)
	}
	sum, _ := hex.DecodeString(man.SHA256) // validated by manifest.Validate
	opts := selfupdate.Options{TargetPath: m.opts.Binary, TargetMode: 0o755,
		Patcher: delta.Patcher(), Checksum: sum}
	if man.BinarySig != "" {
		if opts.Verifier, err = m.verifier(man.BinarySig); err != nil {
			return err
		}
	}
	if err := selfupdate.PrepareAndCheckBinary(f, opts); err != nil {
		removeIfExists(m.candidatePath())
		return fmt.Errorf("%w: delta: %w", ErrVerify, err)
	}
	return syncFile(m.candidatePath())
}

// verifier builds selfupdate's minisign Verifier for the binary signature.
func (m *Machine) verifier(sig string) (*selfupdate.Verifier, error) {
	info, err := sign.ParseSignature([]byte(sig))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrVerify, err)
	}
	if m.opts.Keys == nil {
		return nil, fmt.Errorf("%w: binary signature but no trusted keys", ErrVerify)
	}
	key, ok := m.opts.Keys.Key(info.KeyID)
	if !ok {
		return nil, fmt.Errorf("%w: %w: %s", ErrVerify, sign.ErrUnknownKey, info.KeyID)
	}
	path := filepath.Join(m.opts.StateDir, "binary.minisig")
	if err := os.WriteFile(path, []byte(sig), 0o600); err != nil {
		return nil, fmt.Errorf("%w: write signature: %w", ErrVerify, err)
	}
	v := selfupdate.NewVerifier()
	if err := v.LoadFromFile(path, key.String()); err != nil {
		return nil, fmt.Errorf("%w: load signature: %w", ErrVerify, err)
	}
	return v, nil
}

// fileSHA256 is the hex sha256 of the file at path, "" if unreadable.
func fileSHA256(path string) string {
	sum, err := manifest.FileSHA256(path)
	if err != nil {
		return ""
	}
	return sum
}
