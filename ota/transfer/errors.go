package transfer

import "errors"

// Sentinel errors of the transfer package.
var (
	// ErrChunkHash means a received chunk does not match its manifest hash
	// (a tampered or stale retained chunk).
	ErrChunkHash = errors.New("transfer: chunk sha256 mismatch")
	// ErrBlobHash means the assembled file does not match the blob's sha256.
	ErrBlobHash = errors.New("transfer: file sha256 mismatch")
	// ErrSignedMismatch means a manifest signed elsewhere does not describe
	// the binary (or delta) being published.
	ErrSignedMismatch = errors.New("transfer: signed manifest does not match the files")
	// ErrNoSigner means Publish was given neither a key nor a signed manifest.
	ErrNoSigner = errors.New("transfer: no key and no signed manifest")
	// ErrBadTopic means a chunk arrived on a topic that is not a chunk topic.
	ErrBadTopic = errors.New("transfer: not a chunk topic")
)

// Errors of multi-platform publishing.
var (
	// ErrDuplicatePlatform means two binaries of one artifact are built
	// for the same os/arch.
	ErrDuplicatePlatform = errors.New("transfer: two binaries for one platform")
	// ErrPlatformsDiffer means the options of one multi-platform artifact
	// disagree on what must be shared (artifact, version, build, key).
	ErrPlatformsDiffer = errors.New("transfer: platform builds disagree")
)
