package agent

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/drover-iot/drover/ota/apply"
)

// The trial of an OTA update is decided by the old version: at start a
// candidate waiting for its trial makes Run return ErrTrial, and
// SuperviseTrial runs it as a child; the child (this code, in the new
// binary) sees apply.TrialPipe and reports its health instead of touching
// the OTA record. See docs/ota.md.

// bootOTA settles an interrupted update, first thing in Run. It returns
// ErrTrial when a candidate waits for its trial. A process that runs on
// trial (started by the old version with the health pipe) leaves the OTA
// record alone: the old version decides.
func (a *Agent) bootOTA() error {
	if a.ota == nil {
		return nil
	}
	if a.ota.pipe = apply.TrialPipe(); a.ota.pipe != nil {
		a.ota.log.Info("ota: running on trial under the previous version", "until", a.ota.u.Status().TrialUntil)
		return nil
	}
	trial, err := a.ota.u.Boot()
	if err != nil {
		a.ota.log.Error("ota: boot", "err", err)
	}
	if trial != nil {
		a.ota.trial = trial
		return ErrTrial
	}
	return nil
}

// SuperviseTrial runs the OTA trial after Run returned ErrTrial: the
// candidate runs as a child while this process, the old version, feeds
// systemd's watchdog and decides. It returns ErrRestart when the trial
// was decided (the binary at the path, committed or old, is to be
// executed in place), nil when ctx ended it (a stop: the next start counts
// the interrupted trial), or the error that kept it from running.
func (a *Agent) SuperviseTrial(ctx context.Context) error {
	if a.ota == nil || a.ota.trial == nil {
		return ErrTrial
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = a.notify.Watchdog(wctx, func() bool { return true }) }()
	r := a.ota.u.Status()
	a.ota.log.Info("ota: supervising the trial of the new version", "version", r.Version, "trial", a.cfg.OTA.Trial.D())
	err := a.ota.trial.Supervise(ctx, os.Args[1:], os.Environ())
	r = a.ota.u.Status()
	a.ota.log.Info("ota: trial decided", "state", r.State, "reason", r.Reason, "err", err)
	switch {
	case err == nil || errors.Is(err, apply.ErrRolledBack):
		return ErrRestart
	case ctx.Err() != nil:
		return nil
	}
	return err
}

// trialReportInterval is how often a process on trial reports its health.
const trialReportInterval = time.Second
