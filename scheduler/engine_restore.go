package scheduler

import "time"

// restoreRecord merges one saved job into the job set. A job already added
// (from configuration, before Run) keeps its definition and takes the
// saved history, and the saved timing when the spec is unchanged. A job
// only in the store is re-created; if its handler is unknown or its
// definition invalid it is kept, broken, with the reason.
func (e *engine) restoreRecord(rec JobRecord, now time.Time) {
	ent, exists := e.jobs[rec.Def.Name]
	if !exists {
		var err error
		if ent, err = e.newEntry(rec.Def); err != nil {
			e.cfg.logger.Warn("restored job is broken", "job", rec.Def.Name, "err", err)
		}
		e.jobs[rec.Def.Name] = ent
	}
	ent.lastRun, ent.runs, ent.skips, ent.failures = wallOf(rec.LastRun), rec.Runs, rec.Skips, rec.Failures
	if exists && ent.def.Spec != rec.Def.Spec {
		return
	}
	ent.lastNominal, ent.fired, ent.nominal = wallOf(rec.LastNominal), rec.Fired, wallOf(rec.NextNominal)
	if !ent.runnable() {
		return
	}
	e.heap.unschedule(ent)
	e.catchUp(ent, rec.NextNominal, now)
}

// catchUp schedules a restored job whose saved next slot is next: a
// future slot is kept; a missed one follows the job's catch-up policy —
// skip goes to the first grid slot after now, once fires now and then
// continues on the grid.
func (e *engine) catchUp(ent *entry, next, now time.Time) {
	switch {
	case next.IsZero():
		e.scheduleFrom(ent, ent.lastNominal.time(), now)
	case !next.Before(now):
		ent.setNext(next, e.cfg.rand)
		e.heap.schedule(ent)
	case ent.def.CatchUp == CatchUpOnce:
		ent.nominal, ent.fire = wallOf(next), wallOf(now)
		e.heap.schedule(ent)
	default:
		e.scheduleFrom(ent, next, now)
	}
}
