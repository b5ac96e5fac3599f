package apply

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/state"
)

// Candidate is a downloaded update ready to install: either the full
// binary (Staged) or a delta patch for the running binary (Patch).
type Candidate struct {
	Manifest manifest.Manifest
	Staged   string
	Patch    string
}

// Install verifies the candidate, runs its selftest, records it as waiting
// for its trial and re-executes the agent (still the old binary), which
// supervises the trial: on success it does not return (unless the injected
// Exec does). Each refusal is recorded as failed with its reason. The
// binary at the path is never touched here: only a passed trial renames
// the candidate over it.
func (m *Machine) Install(ctx context.Context, c Candidate) error {
	if err := m.verify(c); err != nil {
		return err
	}
	if err := m.Transition(state.Staged, "", nil); err != nil {
		return err
	}
	if err := m.selftest(ctx, m.candidatePath()); err != nil {
		removeIfExists(m.candidatePath())
		return m.fail(err)
	}
	return m.restart()
}

// verify records the update and prepares a verified candidate next to the
// binary.
func (m *Machine) verify(c Candidate) error {
	man := c.Manifest
	err := m.Transition(state.Verifying, "", func(r *state.Record) {
		r.Artifact, r.Version, r.Build, r.NewSHA256 = man.Artifact, man.Version, man.Build, man.SHA256
		r.FromVersion, r.FromBuild, r.OldSHA256 = m.opts.Version, m.opts.Build, fileSHA256(m.opts.Binary)
		r.Binary, r.Backup, r.Candidate = m.opts.Binary, "", m.candidatePath()
		r.Delta, r.Boots, r.Progress = c.Patch != "", 0, nil
	})
	if err != nil {
		return err
	}
	if c.Patch != "" {
		err = m.prepareDelta(man, c.Patch)
	} else if err = m.checkFull(man, c.Staged); err == nil {
		err = copyDurable(c.Staged, m.candidatePath())
	}
	if err != nil {
		return m.fail(err)
	}
	return nil
}

// selftest runs `<candidate> <SelftestArgs...>`; exit status 0 passes.
func (m *Machine) selftest(ctx context.Context, path string) error {
	ctx, cancel := context.WithTimeout(ctx, m.opts.SelftestTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, m.opts.SelftestArgs...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: %w: %s", ErrSelftest, err, lastLine(out.String()))
	}
	return nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s[:min(len(s), 200)]
}

// restart records that the candidate waits for its trial and re-executes
// the (old) agent, whose Boot then supervises the trial.
func (m *Machine) restart() error {
	if err := m.Transition(state.Restarting, "", func(r *state.Record) { r.Boots = 0 }); err != nil {
		return err
	}
	if err := m.opts.Exec(m.opts.Binary); err != nil {
		return fmt.Errorf("%w: %w", ErrExec, err)
	}
	return nil
}
