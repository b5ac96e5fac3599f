package ota

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/drover-iot/drover/internal/atomicfile"
	"github.com/drover-iot/drover/ota/apply"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/state"
	"github.com/drover-iot/drover/ota/transfer"
)

// Apply updates the agent to the artifact's retained manifest: verify,
// check, download, install, re-exec. On success it does not return unless
// the injected Exec does. A refusal or failure is recorded as failed with
// its reason (see Reason) and returned; the running binary is unchanged.
func (u *Updater) Apply(ctx context.Context, artifact string) error {
	if err := u.claim(); err != nil {
		return err
	}
	defer u.release()
	env, t, err := u.fetchManifest(ctx, u.topics(artifact))
	if err != nil {
		return u.refuse(err)
	}
	return u.run(ctx, env, t)
}

// Resume continues a download that a restart or an error interrupted,
// from the saved manifest and progress.
func (u *Updater) Resume(ctx context.Context) error {
	rec := u.Status()
	if rec.State != state.Downloading {
		return ErrNothingToResume
	}
	env, err := os.ReadFile(u.envelopePath())
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNothingToResume, err)
	}
	if err := u.claim(); err != nil {
		return err
	}
	defer u.release()
	t := u.topics(rec.Artifact)
	t.Platform = rec.Platform
	return u.run(ctx, env, t)
}

// Verify checks an envelope for this device without applying it.
func (u *Updater) Verify(env []byte) (manifest.Manifest, error) {
	m, err := manifest.Verify(env, u.keys, u.cfg.Clock.Now())
	if err != nil {
		return m, err
	}
	return m, manifest.Check(m, u.running())
}

// run verifies env and downloads its blob from the chunk topics of t
// (the artifact named by the manifest; the platform level of t).
func (u *Updater) run(ctx context.Context, env []byte, t transfer.Topics) error {
	m, err := u.Verify(env)
	if err != nil {
		return u.refuse(err)
	}
	if err := atomicfile.Write(u.envelopePath(), env, 0o600); err != nil {
		return u.refuse(err)
	}
	err = u.machine.Transition(state.Downloading, "", func(r *state.Record) {
		r.Artifact, r.Version, r.Build, r.NewSHA256 = m.Artifact, m.Version, m.Build, m.SHA256
		r.Platform = t.Platform
		r.Progress = &state.Progress{Total: len(m.Chunks), Size: m.Size}
	})
	if err != nil {
		return err
	}
	t.Artifact = m.Artifact
	c, err := u.download(ctx, m, t)
	if err != nil {
		if ctx.Err() != nil {
			return err // interrupted: stays downloading, Resume continues
		}
		return u.refuse(err)
	}
	err = u.machine.Install(ctx, c)
	removeStaged(u.stagedPath(transfer.KindFull), u.stagedPath(transfer.KindDelta))
	return err
}

// download fetches the delta when the running binary is its base, else the
// full binary.
func (u *Updater) download(ctx context.Context, m manifest.Manifest, t transfer.Topics) (apply.Candidate, error) {
	c := apply.Candidate{Manifest: m}
	kind, blob := transfer.KindFull, m.Blob
	if m.Delta != nil && u.runningSHA() == m.Delta.BaseSHA256 {
		kind, blob = transfer.KindDelta, m.Delta.Blob
	}
	f := transfer.NewFetcher(u.sub, transfer.FetchOptions{Window: u.cfg.Window, Stall: u.cfg.Stall, Clock: u.cfg.Clock,
		Logger: u.cfg.Logger, OnProgress: u.progress})
	path := u.stagedPath(kind)
	if err := f.Fetch(ctx, t, kind, blob, path); err != nil {
		if errors.Is(err, transfer.ErrChunkHash) || errors.Is(err, transfer.ErrBlobHash) {
			removeStaged(path)
		}
		return c, err
	}
	if kind == transfer.KindDelta {
		c.Patch = path
	} else {
		c.Staged = path
	}
	return c, nil
}

func (u *Updater) runningSHA() string {
	sum, _ := manifest.FileSHA256(u.machine.Binary())
	return sum
}

// progress updates the in-memory record (the fetcher persists its own
// progress; the state record is not rewritten per chunk).
func (u *Updater) progress(p transfer.Progress) {
	u.mu.Lock()
	u.rec.Progress = &state.Progress{Done: p.Done, Total: p.Total, Bytes: p.Bytes, Size: p.Size}
	r := u.rec
	u.mu.Unlock()
	if u.cfg.OnStatus != nil {
		u.cfg.OnStatus(r)
	}
}

// refuse records err as the failed state's reason and returns err.
func (u *Updater) refuse(err error) error {
	reason := err.Error()
	if code := Reason(err); code != "" {
		reason = code + ": " + reason
	}
	if serr := u.machine.Transition(state.Failed, reason, nil); serr != nil {
		return errors.Join(err, serr)
	}
	return err
}
