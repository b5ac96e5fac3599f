package control

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/state"
)

// fakeOTA replays records to the progress callback and returns err.
type fakeOTA struct {
	records []state.Record
	err     error
	reason  string
}

func (f *fakeOTA) Apply(_ context.Context, _ string, progress func(state.Record)) (state.Record, error) {
	for _, r := range f.records {
		progress(r)
	}
	if f.err != nil {
		return state.Record{}, f.err
	}
	return state.Record{State: state.Restarting, Version: "v2"}, nil
}

func (f *fakeOTA) Status() state.Record { return state.Record{State: state.Committed, Version: "v2"} }
func (f *fakeOTA) Reason(error) string  { return f.reason }
func downloading(done int) state.Record { return rec(state.Downloading, done) }
func rec(s state.State, done int) state.Record {
	return state.Record{State: s, Progress: &state.Progress{Done: done, Total: 100}}
}

// progressStates decodes the progress replies published for request id.
func progressStates(t *testing.T, f *fixture, id string) []string {
	t.Helper()
	var out []string
	for _, m := range f.pub.replies() {
		r, err := fleet.DecodeReply(m.payload)
		if err != nil || r.ID != id || r.IsFinal() {
			continue
		}
		var rec state.Record
		if err := json.Unmarshal(r.Progress, &rec); err != nil {
			t.Fatal(err)
		}
		out = append(out, string(rec.State)+":"+itoa(Percent(rec)))
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestOTAApplyProgressAndResult(t *testing.T) {
	f := newFixture(t)
	var recs []state.Record
	for i := 0; i <= 100; i++ { // one record per chunk: throttled to 5% steps
		recs = append(recs, downloading(i))
	}
	recs = append(recs, rec(state.Verifying, 100), rec(state.Staged, 100), rec(state.Installing, 100))
	f.d.deps.OTA = &fakeOTA{records: recs}
	r, _ := handle(context.Background(), f.d, request("a1", "ota.apply", map[string]any{"artifact": "agent"}))
	checkReply(t, r, "", `"state":"restarting"`)
	got := progressStates(t, f, "a1")
	if len(got) != 21+3 {
		t.Fatalf("progress replies %v: want 21 download steps and 3 states", got)
	}
	if got[0] != "downloading:0" || got[20] != "downloading:100" || got[23] != "installing:100" {
		t.Errorf("progress replies %v", got)
	}
}

func TestOTAApplyRefusals(t *testing.T) {
	tests := []struct {
		reason string
		code   fleet.Code
	}{
		{"unknown_key", fleet.CodeForbidden},
		{"bad_signature", fleet.CodeForbidden},
		{"expired", fleet.CodeForbidden},
		{"downgrade", fleet.CodeForbidden},
		{"chunk_hash", fleet.CodeForbidden},
		{"wrong_platform", fleet.CodeBadRequest},
		{"busy", fleet.CodeConflict},
		{"selftest", fleet.CodeConflict},
		{"no_manifest", fleet.CodeNotFound},
		{"", fleet.CodeInternal},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			f := newFixture(t)
			f.d.deps.OTA = &fakeOTA{err: errors.New("refused here"), reason: tt.reason}
			r, _ := handle(context.Background(), f.d, request("r-"+tt.reason, "ota.apply", map[string]any{"artifact": "agent"}))
			checkReply(t, r, tt.code, "")
			if !strings.HasPrefix(r.Error.Message, tt.reason) || !strings.Contains(r.Error.Message, "refused here") {
				t.Errorf("message %q: want the reason %q first and the detail", r.Error.Message, tt.reason)
			}
		})
	}
}

func TestOTACommandsArgsAndStatus(t *testing.T) {
	f := newFixture(t)
	f.d.deps.OTA = &fakeOTA{}
	r, _ := handle(context.Background(), f.d, request("s1", "ota.status", nil))
	checkReply(t, r, "", `"state":"committed"`)
	r, _ = handle(context.Background(), f.d, request("b1", "ota.apply", nil))
	checkReply(t, r, fleet.CodeBadRequest, "")
	r, _ = handle(context.Background(), f.d, request("b2", "ota.apply", map[string]any{"artifact": "a", "x": 1}))
	checkReply(t, r, fleet.CodeBadRequest, "")
	f.d.deps.OTA = nil
	for _, cmd := range []string{"ota.apply", "ota.status"} {
		r, _ = handle(context.Background(), f.d, request("u-"+cmd, cmd, map[string]any{"artifact": "a"}))
		checkReply(t, r, fleet.CodeUnavailable, "")
	}
}

// TestWireStatusHasNoPaths: the wire shape is versioned and carries no
// file path of the device, while keeping what the operator reads.
func TestWireStatusHasNoPaths(t *testing.T) {
	rec := state.Record{V: 1, State: state.Trial, Version: "v2", Boots: 1, Binary: "/usr/local/bin/drover-agent",
		Backup: "/usr/local/bin/.drover-agent.old", Candidate: "/usr/local/bin/.drover-agent.new",
		Progress: &state.Progress{Done: 3, Total: 4}}
	b, err := json.Marshal(WireStatus(rec))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"binary", "backup", "candidate"} {
		if _, ok := m[k]; ok || strings.Contains(string(b), "/usr/local/bin") {
			t.Errorf("wire status %s carries the path %q", b, k)
		}
	}
	if m["v"] != float64(fleet.OTAStatusVersion) || m["state"] != "trial" || m["version"] != "v2" || m["progress"] == nil {
		t.Errorf("wire status %s lacks v, state, version or progress", b)
	}
}
