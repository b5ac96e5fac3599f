package ota

import (
	"errors"

	"github.com/drover-iot/drover/ota/apply"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/transfer"
)

// Sentinel errors of the ota package.
var (
	// ErrBusy means an update is already under way.
	ErrBusy = errors.New("ota: an update is already under way")
	// ErrNoManifest means no retained manifest arrived for the artifact.
	ErrNoManifest = errors.New("ota: no manifest for the artifact")
	// ErrNothingToResume means Resume found no interrupted download.
	ErrNothingToResume = errors.New("ota: nothing to resume")
)

// Reason returns a stable reason string for an update error, for replies
// and status: the manifest refusals (unknown_key, bad_signature, expired,
// wrong_platform, downgrade, no_space, malformed, too_large, no_build) and
// chunk_hash, verify, selftest, swap, busy, no_manifest; "" for others.
func Reason(err error) string {
	if r := manifest.Reason(err); r != "" {
		return r
	}
	if r := apply.Reason(err); r != "" {
		return r
	}
	for _, r := range []struct {
		err    error
		reason string
	}{
		{transfer.ErrChunkHash, "chunk_hash"}, {transfer.ErrBlobHash, "chunk_hash"},
		{ErrBusy, "busy"}, {ErrNoManifest, "no_manifest"},
	} {
		if errors.Is(err, r.err) {
			return r.reason
		}
	}
	return ""
}
