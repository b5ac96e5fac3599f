// Package transfer moves OTA artifacts through the broker: the publisher
// side puts the signed manifest and the chunks as retained messages under
// <prefix>/ota/<artifact>/, and the device side Fetcher subscribes to the
// chunks it lacks, a bounded window at a time, verifies each one, writes it
// at its offset in a staging file and persists its progress so a restart or
// a broker outage resumes the download.
package transfer

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultPrefix is the first topic level, as in the wire protocol.
const DefaultPrefix = "drover"

// Kind says which chunked blob of an artifact a topic carries.
type Kind string

// Blob kinds: the full binary, at <base>/<n>, or its bsdiff delta, at
// <base>/delta/<n>.
const (
	KindFull  Kind = "full"
	KindDelta Kind = "delta"
)

// Topics names the OTA topics of one artifact, or of one platform's build
// of a multi-platform artifact.
type Topics struct {
	// Prefix is the first topic level. Default: "drover".
	Prefix   string
	Artifact string
	// Platform is the topic level of one platform's build in a
	// multi-platform artifact, "<os>-<arch>" (see ForPlatform); empty for
	// a single-platform artifact and for the artifact's index.
	Platform string
}

// ForPlatform returns the topics of the os/arch build of a multi-platform
// artifact: <prefix>/ota/<artifact>/<os>-<arch>/...
func (t Topics) ForPlatform(goos, goarch string) Topics {
	t.Platform = goos + "-" + goarch
	return t
}

func (t Topics) base() string {
	p := t.Prefix
	if p == "" {
		p = DefaultPrefix
	}
	if t.Platform != "" {
		return p + "/ota/" + t.Artifact + "/" + t.Platform
	}
	return p + "/ota/" + t.Artifact
}

// Manifest is <prefix>/ota/<artifact>/manifest (retained envelope): the
// manifest of a single-platform artifact or the index of a multi-platform
// one; with Platform, <prefix>/ota/<artifact>/<os>-<arch>/manifest.
func (t Topics) Manifest() string { return t.base() + "/manifest" }

// Chunk is the topic of chunk n of the blob of the given kind.
func (t Topics) Chunk(kind Kind, n int) string {
	if kind == KindDelta {
		return t.base() + "/delta/" + strconv.Itoa(n)
	}
	return t.base() + "/" + strconv.Itoa(n)
}

// ParseChunk returns the chunk index of a chunk topic of the given kind.
func (t Topics) ParseChunk(kind Kind, topic string) (int, error) {
	prefix := t.base() + "/"
	if kind == KindDelta {
		prefix += "delta/"
	}
	rest, ok := strings.CutPrefix(topic, prefix)
	n, err := strconv.Atoi(rest)
	if !ok || err != nil || n < 0 || strconv.Itoa(n) != rest {
		return 0, fmt.Errorf("%w: %q", ErrBadTopic, topic)
	}
	return n, nil
}
