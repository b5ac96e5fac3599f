package scheduler

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
)

// persister coalesces saves: a change marks the state dirty and sets a
// save deadline one save interval away (the engine's single timer wakes
// for it); the snapshot is handed to a saver goroutine, so the owner never
// waits on the disk.
type persister struct {
	e         *engine
	saveAt    time.Time // zero when nothing waits to be saved
	saveCh    chan State
	saverDone chan struct{}
}

func (p *persister) init(e *engine) { p.e = e }

func (p *persister) store() Store { return p.e.cfg.store }

// markDirty notes a change to be saved at the latest one interval after now.
func (p *persister) markDirty(now time.Time) {
	if p.store() != nil && p.saveAt.IsZero() {
		p.saveAt = now.Add(p.e.cfg.saveInterval)
	}
}

// maybeSave hands a snapshot to the saver when a save is due and the
// saver is free; otherwise it retries one interval later.
func (p *persister) maybeSave(now time.Time) {
	if p.saveAt.IsZero() || p.saveAt.After(now) || p.saveCh == nil {
		return
	}
	if len(p.saveCh) == cap(p.saveCh) {
		p.saveAt = now.Add(p.e.cfg.saveInterval)
		return
	}
	p.saveCh <- p.snapshot()
	p.saveAt = time.Time{}
}

// startSaver starts the goroutine that writes snapshots.
func (p *persister) startSaver() {
	if p.store() == nil {
		return
	}
	p.saveCh = make(chan State, 1)
	p.saverDone = make(chan struct{})
	go func() {
		defer close(p.saverDone)
		for st := range p.saveCh {
			if err := p.store().Save(p.e.base, st); err != nil {
				p.e.cfg.logger.Error("save scheduler state", "err", err)
			}
		}
	}()
}

// stop ends the saver and writes the final state, within ctx.
func (p *persister) stop(ctx context.Context) error {
	if p.store() == nil {
		return nil
	}
	close(p.saveCh)
	select {
	case <-p.saverDone:
	case <-ctx.Done():
		return ErrStopTimeout
	}
	p.saveAt = time.Time{}
	return p.store().Save(ctx, p.snapshot())
}

// snapshot renders the job set as a State, sorted by job name.
func (p *persister) snapshot() State {
	st := State{Version: StateVersion, Jobs: make([]JobRecord, 0, len(p.e.jobs))}
	for _, ent := range p.e.jobs {
		st.Jobs = append(st.Jobs, JobRecord{
			Def: ent.def, LastNominal: ent.lastNominal.time(), NextNominal: ent.nominal.time(),
			LastRun: ent.lastRun.time(), Fired: ent.fired,
			Runs: ent.runs, Skips: ent.skips, Failures: ent.failures,
		})
	}
	slices.SortFunc(st.Jobs, func(a, b JobRecord) int { return strings.Compare(a.Def.Name, b.Def.Name) })
	return st
}

// restore loads the saved jobs. A store that fails to load is logged and
// the scheduler starts with the jobs it has: it never fails on bad state.
func (p *persister) restore(ctx context.Context) {
	if p.store() == nil {
		return
	}
	st, err := p.store().Load(ctx)
	switch {
	case err == nil:
	case errors.Is(err, ErrRecovered):
		p.e.cfg.logger.Warn("scheduler state recovered from previous copy", "err", err)
	default:
		p.e.cfg.logger.Error("scheduler state not loaded; starting without saved jobs", "err", err)
		return
	}
	now := p.e.now()
	for _, rec := range st.Jobs {
		if p.dropped(rec) {
			continue
		}
		p.e.restoreRecord(rec, now)
	}
}

// dropped reports whether rec is a saved job that WithRestoreFilter
// refuses and no job of the same name was added before Run.
func (p *persister) dropped(rec JobRecord) bool {
	keep := p.e.cfg.keep
	if keep == nil || keep(rec.Def) {
		return false
	}
	if _, exists := p.e.jobs[rec.Def.Name]; exists {
		return false
	}
	p.e.cfg.logger.Info("saved job dropped: no longer defined", "job", rec.Def.Name, "handler", rec.Def.Handler)
	p.e.persist.markDirty(p.e.now())
	return true
}
