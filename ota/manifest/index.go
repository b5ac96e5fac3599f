package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/drover-iot/drover/internal/names"
	"github.com/drover-iot/drover/ota/sign"
)

// MaxPlatforms bounds the platforms of one multi-platform artifact.
const MaxPlatforms = 32

// platformRE is one platform, "<os>/<arch>" as GOOS and GOARCH spell them.
var platformRE = regexp.MustCompile(`^[a-z0-9]{1,16}/[a-z0-9]{1,16}$`)

// Index lists the platforms of a multi-platform artifact. It is signed
// like a manifest and published, in an envelope, where a single-platform
// artifact has its manifest (<prefix>/ota/<artifact>/manifest); each
// platform's manifest and chunks live under <artifact>/<os>-<arch>/.
// The JSON field names are part of the protocol.
type Index struct {
	V        int    `json:"v"`
	Artifact string `json:"artifact"`
	Version  string `json:"version"`
	Build    uint64 `json:"build"`
	// Platforms are "<os>/<arch>", sorted, each with its own manifest.
	Platforms []string  `json:"platforms"`
	CreatedAt time.Time `json:"created_at"`
}

// PlatformName is the index's spelling of a platform: "linux/arm64".
func PlatformName(goos, goarch string) string { return goos + "/" + goarch }

// Has reports whether the index has a build for the platform.
func (ix Index) Has(goos, goarch string) bool {
	return slices.Contains(ix.Platforms, PlatformName(goos, goarch))
}

// Check refuses an index without a build for the device's platform, with
// ErrNoBuild and a message naming the platforms built.
func (ix Index) Check(goos, goarch string) error {
	if ix.Has(goos, goarch) {
		return nil
	}
	return fmt.Errorf("%w for %s in artifact %s %s; built for %s", ErrNoBuild,
		PlatformName(goos, goarch), ix.Artifact, ix.Version, strings.Join(ix.Platforms, ", "))
}

// Validate checks the index's internal consistency.
func (ix *Index) Validate() error {
	switch {
	case ix.V != FormatVersion:
		return fmt.Errorf("%w: index version %d, want %d", ErrMalformed, ix.V, FormatVersion)
	case !names.Lower.Valid(ix.Artifact, maxArtifactLen):
		return fmt.Errorf("%w: artifact name %q", ErrMalformed, ix.Artifact)
	case ix.Version == "" || len(ix.Version) > 64:
		return fmt.Errorf("%w: index version string", ErrMalformed)
	case len(ix.Platforms) == 0 || len(ix.Platforms) > MaxPlatforms:
		return fmt.Errorf("%w: index has %d platforms (1..%d)", ErrMalformed, len(ix.Platforms), MaxPlatforms)
	case !slices.IsSorted(ix.Platforms) || len(slices.Compact(slices.Clone(ix.Platforms))) != len(ix.Platforms):
		return fmt.Errorf("%w: index platforms not sorted and unique", ErrMalformed)
	}
	for _, p := range ix.Platforms {
		if !platformRE.MatchString(p) {
			return fmt.Errorf("%w: index platform %q", ErrMalformed, p)
		}
	}
	return nil
}

// Marshal encodes the index (the bytes that get signed).
func (ix Index) Marshal() ([]byte, error) {
	b, err := json.Marshal(ix)
	if err != nil {
		return nil, fmt.Errorf("manifest: encode index: %w", err)
	}
	return b, nil
}

// IsIndex reports whether signed bytes are an index rather than a
// manifest: an index is the only document with "platforms".
func IsIndex(data []byte) bool {
	var probe struct {
		Platforms json.RawMessage `json:"platforms"`
	}
	return json.Unmarshal(data, &probe) == nil && len(bytes.TrimSpace(probe.Platforms)) > 0
}

// ParseIndex decodes and validates index bytes without a signature check.
func ParseIndex(data []byte) (Index, error) {
	var ix Index
	if err := strictUnmarshal(data, &ix); err != nil {
		return Index{}, fmt.Errorf("%w: index: %w", ErrMalformed, err)
	}
	if err := ix.Validate(); err != nil {
		return Index{}, err
	}
	return ix, nil
}

// Open decodes an envelope and checks its signature against the trusted
// keys, returning the signed bytes (a manifest or an index). Errors wrap
// ErrTooLarge, ErrMalformed, ErrUnknownKey or ErrBadSignature.
func Open(data []byte, keys *sign.Keyring) ([]byte, error) {
	env, err := DecodeEnvelope(data)
	if err != nil {
		return nil, err
	}
	if _, err := keys.Verify(env.Manifest, []byte(env.Signature)); err != nil {
		return nil, signatureError(err)
	}
	return env.Manifest, nil
}
