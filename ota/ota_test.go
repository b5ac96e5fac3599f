package ota_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"

	"github.com/drover-iot/drover/ota"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/sign"
	"github.com/drover-iot/drover/ota/state"
	"github.com/drover-iot/drover/ota/transfer"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var now = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func agentScript(version string, pad int) []byte {
	return fmt.Appendf(nil, "#!/bin/sh\n# agent %s\nexit 0\n#%s\n", version, strings.Repeat("y", pad))
}

type device struct {
	dir    string
	binary string
	old    []byte
	broker *otatest.Broker
	key    sign.PrivateKey
	pair   sign.KeyPair
	execs  int
	u      *ota.Updater
}

func newDevice(t *testing.T) *device { return newDeviceOn(t, "", "") }

// newDeviceOn is a device on goos/goarch ("": this machine's).
func newDeviceOn(t *testing.T, goos, goarch string) *device {
	d := &device{dir: t.TempDir(), old: agentScript("1.0", 40000), broker: otatest.NewBroker()}
	d.binary = otatest.WriteFile(t, d.dir, "agent", d.old)
	d.pair, d.key = otatest.Key(t)
	u, err := ota.New(ota.Config{
		StateDir: d.dir + "/state", Binary: d.binary, Version: "1.0", Build: 1, OS: goos, Arch: goarch,
		TrustedKeys: []string{string(d.pair.Public)}, Clock: clockwork.NewFakeClockAt(now),
		Exec: func(string) error { d.execs++; return nil },
	}, d.broker)
	if err != nil {
		t.Fatal(err)
	}
	d.u = u
	return d
}

func (d *device) publish(t *testing.T, bin []byte, edit func(*transfer.PublishOptions)) {
	t.Helper()
	opts := transfer.PublishOptions{
		Topics: transfer.Topics{Artifact: "agent"}, BinaryPath: otatest.WriteFile(t, t.TempDir(), "new", bin),
		Version: "2.0", Build: 2, ChunkSize: 4096, Key: &d.key, Now: now,
	}
	if edit != nil {
		edit(&opts)
	}
	if _, err := transfer.Publish(context.Background(), d.broker, opts); err != nil {
		t.Fatal(err)
	}
}

func TestApply(t *testing.T) {
	d := newDevice(t)
	nw := agentScript("2.0", 50000)
	d.publish(t, nw, nil)
	if err := d.u.Apply(context.Background(), "agent"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(d.binary)
	if !bytes.Equal(got, d.old) || d.execs != 1 {
		t.Fatalf("binary replaced before the trial: %v, execs %d", !bytes.Equal(got, d.old), d.execs)
	}
	r := d.u.Status()
	if r.State != state.Restarting || r.Version != "2.0" || r.FromVersion != "1.0" {
		t.Fatalf("status %+v", r)
	}
	if cand, _ := os.ReadFile(r.Candidate); !bytes.Equal(cand, nw) {
		t.Fatal("the candidate awaiting its trial is not the new binary")
	}
}

func TestApplyDelta(t *testing.T) {
	d := newDevice(t)
	nw := append(bytes.Clone(d.old), "# fix\n"...)
	d.publish(t, nw, func(o *transfer.PublishOptions) {
		o.DeltaFrom = d.binary
	})
	if err := d.u.Apply(context.Background(), "agent"); err != nil {
		t.Fatal(err)
	}
	cand, _ := os.ReadFile(d.u.Status().Candidate)
	if !bytes.Equal(cand, nw) || !d.u.Status().Delta {
		t.Fatalf("delta update: candidate is the new binary %v, delta %v", bytes.Equal(cand, nw), d.u.Status().Delta)
	}
}

func TestApplyRefusals(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*testing.T, *device, *transfer.PublishOptions)
		after  func(*device)
		reason string
	}{
		{"wrong arch", func(_ *testing.T, _ *device, o *transfer.PublishOptions) { o.Arch = "not-" + runtime.GOARCH }, nil, "wrong_platform"},
		{"downgrade", func(_ *testing.T, _ *device, o *transfer.PublishOptions) { o.Build = 1 }, nil, "downgrade"},
		{"expired", func(_ *testing.T, _ *device, o *transfer.PublishOptions) {
			o.Now = now.Add(-time.Hour)
			o.Expires = time.Minute
		}, nil, "expired"},
		{"unknown key", func(t *testing.T, _ *device, o *transfer.PublishOptions) { _, k := otatest.Key(t); o.Key = &k }, nil, "unknown_key"},
		{"tampered chunk", nil, func(d *device) {
			d.broker.SetRetained(transfer.Topics{Artifact: "agent"}.Chunk(transfer.KindFull, 1), make([]byte, 4096))
		}, "chunk_hash"},
		{"bad signature", nil, func(d *device) {
			env, _ := d.broker.Retained("drover/ota/agent/manifest")
			d.broker.SetRetained("drover/ota/agent/manifest", bytes.Replace(env, []byte(`"v":1,"manifest":"ew`), []byte(`"v":1,"manifest":"eW`), 1))
		}, "bad_signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDevice(t)
			d.publish(t, agentScript("2.0", 50000), func(o *transfer.PublishOptions) {
				if tt.edit != nil {
					tt.edit(t, d, o)
				}
			})
			if tt.after != nil {
				tt.after(d)
			}
			err := d.u.Apply(context.Background(), "agent")
			if ota.Reason(err) != tt.reason {
				t.Fatalf("Apply = %v (reason %q), want %q", err, ota.Reason(err), tt.reason)
			}
			r := d.u.Status()
			if r.State != state.Failed || !strings.HasPrefix(r.Reason, tt.reason) {
				t.Fatalf("status %s %q", r.State, r.Reason)
			}
			got, _ := os.ReadFile(d.binary)
			if !bytes.Equal(got, d.old) || d.execs != 0 {
				t.Fatal("binary changed or re-executed after a refusal")
			}
		})
	}
}

func TestApplyNoManifest(t *testing.T) {
	d := newDevice(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.u.Apply(ctx, "agent"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply = %v", err)
	}
}
