package cli

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/transfer"
)

// retainedSettle ends the collection of retained manifests after this
// long without a new one.
const retainedSettle = 500 * time.Millisecond

// retainedArtifact is what the broker retains of one artifact: the index
// of a multi-platform artifact (nil for a single-platform one) and the
// manifests, keyed by platform topic level ("" for a single-platform one).
type retainedArtifact struct {
	index     *manifest.Index
	manifests map[string]manifest.Manifest
}

// build is the artifact's build: the index's, or its manifest's.
func (r *retainedArtifact) build() uint64 {
	if r.index != nil {
		return r.index.Build
	}
	return r.manifests[""].Build
}

func (r *retainedArtifact) version() string {
	if r.index != nil {
		return r.index.Version
	}
	return r.manifests[""].Version
}

// expires is the latest expiry of its manifests (zero with none).
func (r *retainedArtifact) expires() time.Time {
	var t time.Time
	for _, m := range r.manifests {
		if m.ExpiresAt.After(t) {
			t = m.ExpiresAt
		}
	}
	return t
}

// retainedArtifacts reads the retained manifests and indexes of every
// artifact (or of one), without verifying their signatures, by artifact.
func (a *app) retainedArtifacts(ctx context.Context, artifact string) (map[string]*retainedArtifact, error) {
	c, err := a.dialPaho(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Disconnect(250)
	if artifact == "" {
		artifact = "+"
	}
	// The manifest topic of artifact "" is "<prefix>/ota//manifest".
	base := strings.TrimSuffix(transfer.Topics{Prefix: a.s.Prefix}.Manifest(), "/manifest")
	col := collector{base: base, out: map[string]*retainedArtifact{}, got: make(chan struct{}, 1)}
	entry := transfer.Topics{Prefix: a.s.Prefix, Artifact: artifact}
	platforms := entry
	platforms.Platform = "+"
	filters := map[string]byte{entry.Manifest(): 1, platforms.Manifest(): 1}
	tok := c.SubscribeMultiple(filters, func(_ paho.Client, msg paho.Message) { col.add(msg.Topic(), msg.Payload()) })
	if !tok.WaitTimeout(a.s.Timeout) || tok.Error() != nil {
		return nil, fmt.Errorf("%w: subscribe %s: %v", client.ErrUnreachable, entry.Manifest(), tok.Error())
	}
	col.settle(ctx)
	col.mu.Lock()
	defer col.mu.Unlock()
	return col.out, nil
}

// collector gathers retained entries until none came for retainedSettle.
type collector struct {
	base string // "<prefix>/ota/"
	mu   sync.Mutex
	out  map[string]*retainedArtifact
	got  chan struct{}
}

// add records the manifest or index on topic; cleared or foreign payloads
// are ignored.
func (c *collector) add(topic string, payload []byte) {
	artifact, platform, ok := splitManifestTopic(c.base, topic)
	if !ok {
		return
	}
	env, err := manifest.DecodeEnvelope(payload)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.out[artifact]
	if r == nil {
		r = &retainedArtifact{manifests: map[string]manifest.Manifest{}}
	}
	if ix, err := manifest.ParseIndex(env.Manifest); err == nil && platform == "" {
		r.index = &ix
	} else if m, err := manifest.Parse(env.Manifest); err == nil {
		r.manifests[platform] = m
	} else {
		return
	}
	c.out[artifact] = r
	select {
	case c.got <- struct{}{}:
	default:
	}
}

func (c *collector) settle(ctx context.Context) {
	for settle := time.NewTimer(retainedSettle); ; settle.Reset(retainedSettle) {
		select {
		case <-c.got:
			continue
		case <-settle.C:
		case <-ctx.Done():
		}
		return
	}
}

// splitManifestTopic splits <base><artifact>[/<platform>]/manifest, base
// being "<prefix>/ota/".
func splitManifestTopic(base, topic string) (artifact, platform string, ok bool) {
	rest, ok := strings.CutPrefix(topic, base)
	if !ok {
		return "", "", false
	}
	rest, ok = strings.CutSuffix(rest, "/manifest")
	artifact, platform, _ = strings.Cut(rest, "/")
	return artifact, platform, ok && artifact != "" && !strings.Contains(platform, "/")
}

// clearArtifact clears every retained manifest, chunk and index of it.
func (a *app) clearArtifact(ctx context.Context, pub transfer.Publisher, name string, r *retainedArtifact) error {
	t := transfer.Topics{Prefix: a.s.Prefix, Artifact: name}
	for platform, m := range r.manifests {
		pt := t
		pt.Platform = platform
		if err := transfer.GC(ctx, pub, pt, m, true); err != nil {
			return err
		}
	}
	if r.index != nil {
		if err := pub.Publish(t.Manifest(), 1, true, nil); err != nil {
			return fmt.Errorf("clear the index of %s: %w", name, err)
		}
	}
	return nil
}
