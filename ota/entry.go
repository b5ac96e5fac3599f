package ota

import (
	"context"
	"fmt"

	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/transfer"
)

// fetchManifest waits for the retained entry of the artifact at t: the
// manifest of a single-platform artifact, returned with t, or the index of
// a multi-platform one, which leads to this device's platform: its
// manifest is returned with the platform's topics, or ErrNoBuild (naming
// the platforms built) when the index has no build for it.
func (u *Updater) fetchManifest(ctx context.Context, t transfer.Topics) ([]byte, transfer.Topics, error) {
	env, err := u.retained(ctx, t.Manifest(), t.Artifact)
	if err != nil {
		return nil, t, err
	}
	signed, err := manifest.Open(env, u.keys)
	if err != nil || !manifest.IsIndex(signed) {
		return env, t, nil // a manifest, or a refusal that run's Verify names
	}
	ix, err := manifest.ParseIndex(signed)
	if err != nil {
		return nil, t, err
	}
	if ix.Artifact != t.Artifact {
		return nil, t, fmt.Errorf("%w: index of %q at the topic of %q", manifest.ErrMalformed, ix.Artifact, t.Artifact)
	}
	if err := ix.Check(u.cfg.OS, u.cfg.Arch); err != nil {
		return nil, t, err
	}
	pt := t.ForPlatform(u.cfg.OS, u.cfg.Arch)
	env, err = u.retained(ctx, pt.Manifest(), t.Artifact+" "+manifest.PlatformName(u.cfg.OS, u.cfg.Arch))
	return env, pt, err
}

// retained waits for the retained payload of topic (ErrNoManifest naming
// what after ManifestTimeout).
func (u *Updater) retained(ctx context.Context, topic, what string) ([]byte, error) {
	got := make(chan []byte, 1)
	err := u.sub.Subscribe(topic, 1, func(_ string, payload []byte) {
		if len(payload) > 0 {
			select {
			case got <- payload:
			default:
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("ota: subscribe manifest: %w", err)
	}
	defer func() { _ = u.sub.Unsubscribe(topic) }()
	timer := u.cfg.Clock.NewTimer(u.cfg.ManifestTimeout)
	defer timer.Stop()
	select {
	case env := <-got:
		return env, nil
	case <-timer.Chan():
		return nil, fmt.Errorf("%w: %s", ErrNoManifest, what)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
