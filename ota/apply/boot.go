package apply

import (
	"fmt"

	"github.com/drover-iot/drover/ota/state"
)

// Boot is called once at agent start, before anything else. It finishes or
// undoes what a crash or power cut interrupted, and returns a Trial when the
// running binary is a new version on probation (nil otherwise).
//
//   - verifying, staged: the candidate is discarded; the update is failed.
//   - installing: if the binary is already the new one, the trial starts;
//     otherwise the update is failed and the old binary keeps running.
//   - restarting: the new binary is starting: the trial starts.
//   - trial: one more boot is counted; past MaxBoots it is rolled back.
//   - rolled_back: the restore is redone if it was cut short.
//
// downloading is left as is: the download resumes with its saved progress.
func (m *Machine) Boot() (*Trial, error) {
	switch r := m.rec; r.State {
	case state.Verifying, state.Staged:
		removeIfExists(m.candidatePath())
		return nil, m.Transition(state.Failed, "interrupted while "+string(r.State), nil)
	case state.Installing:
		if fileSHA256(r.Binary) != r.NewSHA256 {
			removeIfExists(r.Candidate)
			return nil, m.Transition(state.Failed, "interrupted while installing", nil)
		}
		return m.startTrial()
	case state.Restarting:
		return m.startTrial()
	case state.Trial:
		if r.Boots >= m.opts.MaxBoots {
			return nil, m.Rollback(fmt.Sprintf("new version started %d times without passing the trial", r.Boots))
		}
		return m.startTrial()
	case state.RolledBack:
		if r.OldSHA256 != "" && fileSHA256(r.Binary) != r.OldSHA256 {
			return nil, m.restore()
		}
	}
	return nil, nil
}

// startTrial counts one boot of the new binary in trial.
func (m *Machine) startTrial() (*Trial, error) {
	boots := m.rec.Boots + 1
	if err := m.Transition(state.Trial, "", func(r *state.Record) { r.Boots = boots }); err != nil {
		return nil, err
	}
	return &Trial{m: m}, nil
}

// Rollback records rolled_back with the reason, then restores the old
// binary and re-executes it.
func (m *Machine) Rollback(reason string) error {
	if err := m.Transition(state.RolledBack, reason, nil); err != nil {
		return err
	}
	return m.restore()
}

// restore copies the backup over the binary (durably, by rename) and
// re-executes it. It is idempotent: Boot redoes it after a crash.
func (m *Machine) restore() error {
	r := m.rec
	tmp := r.Candidate + ".restore"
	if err := copyDurable(r.Backup, tmp); err != nil {
		return err
	}
	if err := replace(tmp, r.Binary); err != nil {
		return err
	}
	if err := m.opts.Exec(r.Binary); err != nil {
		return fmt.Errorf("%w: %w", ErrExec, err)
	}
	return ErrRolledBack
}
