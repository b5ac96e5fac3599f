package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/drover-iot/drover/agent/control"
	"github.com/drover-iot/drover/agent/mqttlink"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/internal/version"
	"github.com/drover-iot/drover/ota"
	"github.com/drover-iot/drover/ota/apply"
	"github.com/drover-iot/drover/ota/state"
)

// otaDir is the OTA state directory under the data dir.
const otaDir = "ota"

// otaStall is how long a download waits for a chunk before subscribing
// again: a lost or dropped chunk costs this much.
const otaStall = 5 * time.Second

// otaPart is the agent's OTA component: the Updater, its download
// connection, the trial of a new version, and the reporting of each record
// to ota.apply's progress replies, the status, the metrics and the
// retained state.
type otaPart struct {
	a       *Agent
	u       *ota.Updater
	conn    *otaConn
	log     *slog.Logger
	metrics *otaMetrics
	mem     memGuard     // the update-time memory limit
	trial   *apply.Trial // a candidate to supervise (Run returns ErrTrial)
	pipe    *os.File     // set when this process is the candidate on trial

	mu       sync.Mutex
	progress func(state.Record) // of the running ota.apply, if any
	last     state.State
}

var _ control.OTA = (*otaPart)(nil)

// buildOTA builds the OTA component when the config trusts at least one
// key; without one, OTA is off and ota.* answer unavailable.
func (a *Agent) buildOTA() error {
	if len(a.cfg.OTA.TrustedKeys) == 0 {
		return nil
	}
	o := &otaPart{a: a, log: a.log.With("component", "ota"), mem: memGuard{budget: updateMemoryBudget}}
	o.conn = newOTAConn(a.otaClientOptions, o.log)
	goos, goarch := version.OSArch()
	u, err := ota.New(ota.Config{
		StateDir: filepath.Join(a.cfg.DataDir, otaDir), Prefix: a.cfg.Prefix,
		Version: version.Version, Build: version.BuildNumber(), OS: goos, Arch: goarch,
		TrustedKeys: a.cfg.OTA.TrustedKeys, AllowDowngrade: a.cfg.OTA.AllowDowngrade, Trial: a.cfg.OTA.Trial.D(),
		Stall: otaStall, SelftestArgs: a.selftestArgs,
		OnStatus: o.onStatus, Exec: o.exec, Clock: a.clock, Logger: o.log,
	}, o.conn)
	if err != nil {
		return fmt.Errorf("%w: ota: %w", ErrConfig, err)
	}
	o.u, o.last = u, u.Status().State
	o.metrics = newOTAMetrics(a.metrics.Registry(), u.Status())
	a.ota = o
	return nil
}

// otaDep is the dispatcher's OTA dependency (a nil interface when off).
func (a *Agent) otaDep() control.OTA {
	if a.ota == nil {
		return nil
	}
	return a.ota
}

// otaParts run the trial or resume an interrupted download, and the
// CrashAfter test hook.
func (a *Agent) otaParts() []part {
	var ps []part
	if a.ota != nil {
		ps = append(ps, part{"ota", a.ota.run})
	}
	if d := version.CrashDelay(); d > 0 {
		ps = append(ps, part{"crash-hook", func(ctx context.Context) error {
			select {
			case <-a.clock.After(d):
				a.log.Error("test hook: crashing", "after", d)
				os.Exit(70)
			case <-ctx.Done():
			}
			return nil
		}})
	}
	return ps
}

func (o *otaPart) run(ctx context.Context) error {
	if o.pipe != nil {
		err := apply.Report(ctx, o.pipe, o.a.clock, trialReportInterval, o.health)
		if err != nil { // the supervising old version is gone: so must we
			o.log.Error("ota: trial supervisor gone, exiting", "err", err)
			os.Exit(1)
		}
		return nil
	}
	if o.u.Status().State == state.Downloading {
		o.log.Info("ota: resuming the interrupted download")
		release := o.mem.acquire()
		err := o.u.Resume(ctx)
		release()
		o.conn.Close()
		if err != nil && !errors.Is(err, context.Canceled) {
			o.log.Warn("ota: resume", "err", err)
		}
	}
	<-ctx.Done()
	return nil
}

// health is the trial's check: broker connected and every enabled service
// booted and not failing.
func (o *otaPart) health() error { return trialHealth(o.a.link.Connected(), o.a.sup.Units()) }

// trialHealth is the health of a new version on trial: the broker is
// connected and every enabled service has started and is not failing.
func trialHealth(connected bool, units []fleet.Unit) error {
	if !connected {
		return errors.New("broker not connected")
	}
	for _, u := range units {
		if u.Kind != fleet.KindService || (u.Enabled != nil && !*u.Enabled) {
			continue
		}
		switch u.State {
		case fleet.UnitFailed, fleet.UnitBackoff:
			return fmt.Errorf("service %s %s: %s", u.Name, u.State, u.Reason)
		case fleet.UnitPending:
			return fmt.Errorf("service %s not started", u.Name)
		}
	}
	return nil
}

// Apply implements control.OTA.
func (o *otaPart) Apply(ctx context.Context, artifact string, progress func(state.Record)) (state.Record, error) {
	o.mu.Lock()
	o.progress = progress
	o.mu.Unlock()
	// Chunks are garbage as soon as they are written: a memory limit while
	// an update runs keeps the peak RSS near the chunk window; memGuard
	// restores it once, when the last overlapping request ends.
	release := o.mem.acquire()
	defer func() {
		release()
		o.mu.Lock()
		o.progress = nil
		o.mu.Unlock()
		o.conn.Close()
	}()
	if err := o.u.Apply(ctx, artifact); err != nil {
		return state.Record{}, err
	}
	return o.u.Status(), nil
}

// Status implements control.OTA.
func (o *otaPart) Status() state.Record { return o.u.Status() }

// Reason implements control.OTA.
func (o *otaPart) Reason(err error) string { return ota.Reason(err) }

// onStatus receives every record (transitions and download progress).
func (o *otaPart) onStatus(r state.Record) {
	o.mu.Lock()
	progress, prev := o.progress, o.last
	o.last = r.State
	o.mu.Unlock()
	if progress != nil {
		progress(r)
	}
	if r.State != prev {
		o.metrics.transition(prev, r.State)
		o.publishState(prev, r.State)
	}
	o.a.statusChanged()
}

// publishState sets the retained state to updating from verification to
// the restart, and back to online when the update is refused.
func (o *otaPart) publishState(prev, next state.State) {
	s, ok := retainedState(prev, next)
	if !ok {
		return
	}
	_ = o.a.link.Publish(mqttlink.Message{Topic: o.a.topics.State(o.a.cfg.ID), Payload: []byte(s), QoS: 1,
		Retained: true, Class: mqttlink.ClassLatest})
}

// retainedState is the device state to publish on an OTA transition, if
// any: updating while a downloaded update is verified, staged, installed
// and restarted; online again when such an update fails.
func retainedState(prev, next state.State) (fleet.DeviceState, bool) {
	switch {
	case next == state.Verifying || next == state.Staged || next == state.Installing || next == state.Restarting:
		return fleet.StateUpdating, true
	case prev.Busy() && next == state.Failed:
		return fleet.StateOnline, true
	}
	return "", false
}

// exec is the Updater's re-exec once a candidate passed its selftest: the
// agent stops cleanly (replies sent, services stopped) and cmd/agent
// executes the binary again (Reexec), still the old version, whose Boot
// then supervises the candidate's trial.
func (o *otaPart) exec(path string) error {
	o.log.Info("ota: restarting to supervise the trial of the new version", "binary", path)
	o.a.requestRestart()
	return nil
}
