package state_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/drover-iot/drover/ota/state"
)

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	r, err := state.Load(dir)
	if err != nil || r.State != state.Idle {
		t.Fatalf("empty dir: %+v %v", r, err)
	}
	steps := []state.Record{
		{State: state.Downloading, Artifact: "agent", Build: 2, Progress: &state.Progress{Done: 1, Total: 3}},
		{State: state.Trial, Artifact: "agent", Build: 2, Boots: 1, Since: time.Unix(5, 0).UTC()},
	}
	for _, want := range steps {
		if err := state.Save(dir, want); err != nil {
			t.Fatal(err)
		}
		got, err := state.Load(dir)
		if err != nil || got.State != want.State || got.Boots != want.Boots || got.V != state.RecordVersion {
			t.Fatalf("Load = %+v, %v; want %+v", got, err, want)
		}
	}
	// A torn record falls back to the previous good copy.
	if err := os.WriteFile(filepath.Join(dir, state.FileName), []byte(`{"v":1,"sta`), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := state.Load(dir)
	if err != nil || got.State != state.Downloading {
		t.Fatalf("corrupt record: Load = %+v, %v; want the previous (downloading)", got, err)
	}
	_ = os.Remove(filepath.Join(dir, state.FileName+".prev"))
	if _, err := state.Load(dir); !errors.Is(err, state.ErrCorrupt) {
		t.Fatalf("corrupt without previous: %v", err)
	}
}

func TestBusy(t *testing.T) {
	busy := map[state.State]bool{state.Downloading: true, state.Verifying: true, state.Staged: true,
		state.Installing: true, state.Restarting: true, state.Trial: true}
	for _, s := range state.All {
		if s.Busy() != busy[s] {
			t.Errorf("%s.Busy() = %v", s, s.Busy())
		}
	}
}
