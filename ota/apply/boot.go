package apply

import (
	"fmt"
	"time"

	"github.com/drover-iot/drover/ota/state"
)

// Boot is called once at agent start, before anything else, by the binary
// at the device's path (the old version while an update is on trial). It
// finishes or undoes what a crash or power cut interrupted, and returns a
// Trial when a candidate waits to be tried (nil otherwise): the agent then
// starts nothing and supervises the trial (Trial.Supervise).
//
//   - verifying, staged: the candidate is discarded; the update is failed.
//   - restarting, trial: if the binary at the path is already the new one,
//     the commit rename happened and the update is committed; otherwise the
//     trial is (re)started, unless MaxBoots trials were already started
//     (each cut short by a crash or power cut): then it is rolled back.
//   - installing (written by older versions, which swapped first): the new
//     binary at the path is committed, the old one means failed.
//
// downloading is left as is: the download resumes with its saved progress.
func (m *Machine) Boot() (*Trial, error) {
	switch r := m.rec; r.State {
	case state.Verifying, state.Staged:
		removeIfExists(m.candidatePath())
		return nil, m.Transition(state.Failed, "interrupted while "+string(r.State), nil)
	case state.Installing:
		if m.binaryIsNew() {
			return nil, m.Transition(state.Committed, "", nil)
		}
		return nil, m.Transition(state.Failed, "interrupted while installing", nil)
	case state.Restarting, state.Trial:
		return m.resumeTrial()
	}
	return nil, nil
}

// resumeTrial settles a trial that was due or under way at start.
func (m *Machine) resumeTrial() (*Trial, error) {
	r := m.rec
	switch {
	case m.binaryIsNew():
		removeIfExists(r.Candidate)
		return nil, m.Transition(state.Committed, "", clearTrial)
	case fileSHA256(r.Candidate) != r.NewSHA256:
		return nil, m.rollback("candidate missing or changed before its trial")
	case r.Boots >= m.opts.MaxBoots:
		return nil, m.rollback(fmt.Sprintf("trial interrupted %d times (crash or power cut)", r.Boots))
	}
	return &Trial{m: m}, nil
}

func (m *Machine) binaryIsNew() bool {
	return m.rec.NewSHA256 != "" && fileSHA256(m.opts.Binary) == m.rec.NewSHA256
}

// rollback discards the candidate and records rolled_back with the reason.
// The binary at the path was never replaced: nothing else to undo.
func (m *Machine) rollback(reason string) error {
	removeIfExists(m.rec.Candidate)
	return m.Transition(state.RolledBack, reason, clearTrial)
}

func clearTrial(r *state.Record) { r.TrialUntil = time.Time{} }
