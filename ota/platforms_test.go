package ota_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/ota"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/state"
	"github.com/drover-iot/drover/ota/transfer"
)

// publishPlatforms publishes one build per binary, keyed by platform.
func (d *device) publishPlatforms(t *testing.T, bins map[string][]byte) {
	t.Helper()
	var opts []transfer.PublishOptions
	for p, bin := range bins {
		goos, goarch, _ := strings.Cut(p, "/")
		opts = append(opts, transfer.PublishOptions{
			Topics: transfer.Topics{Artifact: "agent"}, BinaryPath: otatest.WriteFile(t, t.TempDir(), "new", bin),
			Version: "2.0", Build: 2, OS: goos, Arch: goarch, ChunkSize: 4096, Key: &d.key, Now: now,
		})
	}
	if _, _, err := transfer.PublishPlatforms(context.Background(), d.broker, opts); err != nil {
		t.Fatal(err)
	}
}

func TestApplyTakesItsPlatformsBuild(t *testing.T) {
	d := newDeviceOn(t, "linux", "arm64")
	arm := agentScript("2.0 arm64", 50000)
	d.publishPlatforms(t, map[string][]byte{"linux/arm64": arm, "linux/amd64": agentScript("2.0 amd64", 60000)})
	if err := d.u.Apply(context.Background(), "agent"); err != nil {
		t.Fatal(err)
	}
	r := d.u.Status()
	cand, _ := os.ReadFile(r.Candidate)
	if !bytes.Equal(cand, arm) || r.Platform != "linux-arm64" || r.State != state.Restarting {
		t.Fatalf("candidate is the arm64 build: %v; record %s platform %q", bytes.Equal(cand, arm), r.State, r.Platform)
	}
}

func TestApplyNoBuildForThePlatform(t *testing.T) {
	d := newDeviceOn(t, "linux", "riscv64")
	d.publishPlatforms(t, map[string][]byte{"linux/arm64": agentScript("a", 10), "linux/amd64": agentScript("b", 10)})
	err := d.u.Apply(context.Background(), "agent")
	if !errors.Is(err, manifest.ErrNoBuild) || ota.Reason(err) != "no_build" {
		t.Fatalf("Apply = %v (reason %q), want no_build", err, ota.Reason(err))
	}
	r := d.u.Status()
	want := "no build for linux/riscv64 in artifact agent 2.0; built for linux/amd64, linux/arm64"
	if r.State != state.Failed || !strings.HasPrefix(r.Reason, "no_build: ") || !strings.Contains(r.Reason, want) {
		t.Fatalf("status %s %q, want failed with %q", r.State, r.Reason, want)
	}
}

func TestApplyRefusesAForgedIndex(t *testing.T) {
	d := newDeviceOn(t, "linux", "arm64")
	d.publishPlatforms(t, map[string][]byte{"linux/arm64": agentScript("a", 10)})
	_, other := otatest.Key(t)
	ix := manifest.Index{V: 1, Artifact: "agent", Version: "9", Build: 9, Platforms: []string{"linux/mips"}, CreatedAt: now}
	b, _ := ix.Marshal()
	env, _ := manifest.Seal(b, other, "forged")
	d.broker.SetRetained(transfer.Topics{Artifact: "agent"}.Manifest(), env)
	if err := d.u.Apply(context.Background(), "agent"); ota.Reason(err) != "unknown_key" {
		t.Fatalf("Apply = %v (reason %q), want unknown_key", err, ota.Reason(err))
	}
}

// TestResumeKeepsThePlatform: a download of a platform's build that a
// restart interrupted resumes from the same platform's topics.
func TestResumeKeepsThePlatform(t *testing.T) {
	d := newDeviceOn(t, "linux", "arm64")
	arm := agentScript("2.0 arm64", 50000)
	d.publishPlatforms(t, map[string][]byte{"linux/arm64": arm, "linux/amd64": agentScript("2.0 amd64", 60000)})
	pt := transfer.Topics{Artifact: "agent"}.ForPlatform("linux", "arm64")
	last := pt.Chunk(transfer.KindFull, 12) // 50 KB in 4 KiB chunks: 13
	chunk, _ := d.broker.Retained(last)
	d.broker.SetRetained(last, nil) // held back: the download cannot finish

	ctx, cancel := context.WithCancel(context.Background())
	u := d.updater(t, func(r state.Record) {
		if r.Progress != nil && r.Progress.Done == r.Progress.Total-1 {
			cancel() // the "restart", with all but the last chunk
		}
	})
	if err := u.Apply(ctx, "agent"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply = %v, want canceled", err)
	}
	d.broker.SetRetained(last, chunk)
	u = d.updater(t, nil) // the next start
	if r := u.Status(); r.State != state.Downloading || r.Platform != "linux-arm64" {
		t.Fatalf("record after the restart: %s platform %q", r.State, r.Platform)
	}
	rctx, rcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer rcancel()
	if err := u.Resume(rctx); err != nil {
		t.Fatalf("Resume = %v", err)
	}
	if cand, _ := os.ReadFile(u.Status().Candidate); !bytes.Equal(cand, arm) {
		t.Fatal("the resumed candidate is not the arm64 build")
	}
}

// updater is another Updater on d's state (a restart of the agent).
func (d *device) updater(t *testing.T, onStatus func(state.Record)) *ota.Updater {
	t.Helper()
	u, err := ota.New(ota.Config{
		StateDir: d.dir + "/state", Binary: d.binary, Version: "1.0", Build: 1, OS: "linux", Arch: "arm64",
		TrustedKeys: []string{string(d.pair.Public)}, Clock: clockwork.NewFakeClockAt(now),
		Exec: func(string) error { d.execs++; return nil }, OnStatus: onStatus,
	}, d.broker)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
