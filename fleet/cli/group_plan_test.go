package cli

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/groups"
)

func mustGroups(t *testing.T, yaml string) []groups.Group {
	t.Helper()
	gs, err := groups.ParseFile([]byte(yaml), "fleet.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return gs
}

const planFile = `groups:
  - name: gh
    selector: site=gh
    jobs:
      - {name: water, schedule: every 5m, handler: log}
      - {name: feed, schedule: every 1h, handler: log}
    services:
      web: {enabled: true}
  - name: new
    selector: ""
`

func dev(id string, state fleet.DeviceState, labels map[string]string, rep *fleet.Reported) client.Device {
	return client.Device{ID: id, State: state, Info: &fleet.InfoDoc{Labels: labels}, Reported: rep}
}

func TestPlan(t *testing.T) {
	now := time.UnixMilli(1_000_000)
	old := mustGroups(t, planFile)
	old[0].Generation, old[1].Generation = 5, 2_000_000
	old[0].Jobs = old[0].Jobs[:1]
	old[0].Jobs[0].Schedule = "every 1m"
	local := mustGroups(t, planFile)
	devs := []client.Device{
		dev("a", fleet.StateOnline, map[string]string{"site": "gh"}, nil),
		dev("b", fleet.StateOffline, map[string]string{"site": "office"}, nil),
		{ID: "no-info"},
	}
	rows := plan(local, map[string]retainedGroup{"gh": {Group: old[0]}, "new": {Group: old[1]}}, devs, now, "")
	if rows[0].Action != planUpdate || rows[0].Devices != 1 || local[0].Generation != 1_000_000 ||
		!slices.Equal(rows[0].Changes, []string{"+job feed", "~job water"}) {
		t.Errorf("gh: %+v, generation %d", rows[0], local[0].Generation)
	}
	if rows[1].Action != planUnchanged || rows[1].Devices != 2 || local[1].Generation != 2_000_000 {
		t.Errorf("new: %+v, generation %d; want unchanged, generation kept", rows[1], local[1].Generation)
	}
	// A retained generation ahead of the clock still grows.
	old[0].Generation = 9_000_000
	local = mustGroups(t, planFile)
	rows = plan(local, map[string]retainedGroup{"gh": {Group: old[0]}}, devs, now, "")
	// The service setting did not change, so it is not listed.
	if local[0].Generation != 9_000_001 || rows[1].Action != planCreate ||
		slices.Contains(rows[0].Changes, "service web enabled=true") {
		t.Errorf("rows %+v, generation %d", rows, local[0].Generation)
	}
	// The same group signed now by a key: published again.
	local = mustGroups(t, planFile)
	rows = plan(local, map[string]retainedGroup{"new": {Group: old[1]}}, devs, now, "KEY")
	if rows[1].Action != planUpdate || !slices.Contains(rows[1].Changes, `signed by "KEY" (was "")`) {
		t.Errorf("re-signed: %+v", rows[1])
	}
}

func TestDrift(t *testing.T) {
	local := mustGroups(t, planFile)[:1]
	local[0].Generation = 3
	hash := local[0].Hash()
	rep := func(state fleet.SyncState, h string) *fleet.Reported {
		return &fleet.Reported{Groups: map[string]fleet.GroupReport{"gh": {Generation: 3, Hash: h, State: state, Reasons: []string{"why"}}}}
	}
	gh := map[string]string{"site": "gh"}
	devs := []client.Device{
		dev("in-sync", fleet.StateOnline, gh, rep(fleet.SyncInSync, hash)),
		dev("missing", fleet.StateOffline, gh, nil),
		dev("old", fleet.StateOnline, gh, rep(fleet.SyncInSync, "0ld")),
		dev("failed", fleet.StateOnline, gh, rep(fleet.SyncFailed, hash)),
		dev("moved", fleet.StateOnline, map[string]string{"site": "x"}, rep(fleet.SyncInSync, hash)),
		dev("other", fleet.StateOnline, map[string]string{"site": "x"}, nil),
	}
	var got []string
	for _, r := range drift(local, devs) {
		got = append(got, r.Device+":"+r.Drift)
	}
	want := []string{"missing:missing", "old:differs", "failed:failed", "moved:extra"}
	if !slices.Equal(got, want) {
		t.Errorf("drift = %v; want %v", got, want)
	}
}

func TestSyncProgress(t *testing.T) {
	g := groups.Group{Name: "gh", Generation: 7}
	targets := map[string][]groups.Group{"a": {g}, "b": {g}, "c": {g}}
	latest := map[string]fleet.Reported{
		"a": {Groups: map[string]fleet.GroupReport{"gh": {Generation: 7, State: fleet.SyncInSync}}},
		"b": {Groups: map[string]fleet.GroupReport{"gh": {Generation: 7, State: fleet.SyncFailed, Reasons: []string{"bad"}}}},
		"c": {Groups: map[string]fleet.GroupReport{"gh": {Generation: 6, State: fleet.SyncInSync}}},
	}
	pending, failed := syncProgress(targets, latest)
	if !slices.Equal(pending, []string{"c"}) || len(failed) != 1 || !strings.Contains(failed[0], "b: gh: bad") {
		t.Errorf("pending %v, failed %v", pending, failed)
	}
}
