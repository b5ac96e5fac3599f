package desired

import (
	"crypto/ed25519"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/groups"
)

func (r *rig) jobNames() []string {
	var out []string
	for name := range r.jobs.defs {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

func (r *rig) expectJobs(t *testing.T, want ...string) {
	t.Helper()
	if got := r.jobNames(); !slices.Equal(got, want) {
		t.Errorf("jobs = %v; want %v", got, want)
	}
}

func (r *rig) expectState(t *testing.T, name string, want fleet.SyncState, reason string) {
	t.Helper()
	g, ok := r.reported.Groups[name]
	if !ok || g.State != want || !strings.Contains(strings.Join(g.Reasons, "\n"), reason) {
		t.Errorf("report of %s = %+v (present %v); want %s with %q", name, g, ok, want, reason)
	}
}

func TestApplyMatchingGroup(t *testing.T) {
	r := newRig(t, nil)
	g := group("gh", "site=gh", 1, 0, logJob("water", "every 5m"))
	other := group("office", "site=office", 1, 1, logJob("lights", "every 5m"))
	r.deliver(t, map[string][]byte{"gh": payload(t, g, nil), "office": payload(t, other, nil)})
	r.expectJobs(t, "water")
	if tags := r.jobs.defs["water"].Tags; !slices.Equal(tags, []string{TagGroup, "group:gh"}) {
		t.Errorf("tags = %v", tags)
	}
	r.expectState(t, "gh", fleet.SyncInSync, "")
	if _, ok := r.reported.Groups["office"]; ok || r.reported.Sync != fleet.SyncInSync {
		t.Errorf("reported = %+v; want only gh, in sync", r.reported)
	}
	// A new generation changes the job; jobs: [] empties the group.
	r.deliver(t, map[string][]byte{"gh": payload(t, group("gh", "site=gh", 2, 0, logJob("feed", "every 1h")), nil)})
	r.expectJobs(t, "feed")
	r.deliver(t, map[string][]byte{"gh": payload(t, group("gh", "site=gh", 3, 0), nil)})
	r.expectJobs(t)
	r.expectState(t, "gh", fleet.SyncInSync, "")
}

func TestDeleteGroup(t *testing.T) {
	r := newRig(t, nil)
	old := payload(t, group("gh", "", 1, 0, logJob("water", "every 5m")), nil)
	r.deliver(t, map[string][]byte{"gh": old})
	r.expectJobs(t, "water")
	r.deliver(t, map[string][]byte{"gh": nil})
	r.expectJobs(t)
	if len(r.reported.Groups) != 0 {
		t.Errorf("reported = %+v; want no group", r.reported.Groups)
	}
	// The deleted group's document replayed is refused, also after a
	// restart; a newer one is taken.
	r.start(nil)
	r.deliver(t, map[string][]byte{"gh": old})
	r.expectJobs(t)
	r.expectState(t, "gh", fleet.SyncFailed, "generation 1 is of the group deleted since")
	r.deliver(t, map[string][]byte{"gh": payload(t, group("gh", "", 2, 0, logJob("feed", "every 5m")), nil)})
	r.expectJobs(t, "feed")
}

// TestRefusedKeepsLastGood: a generation that fails the checks changes
// nothing and is reported failed with every reason.
func TestRefusedKeepsLastGood(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bad    groups.Group
		reason string
	}{
		{"bad schedule", group("gh", "", 2, 0, logJob("water", "every ten")), "jobs[0].schedule: "},
		{"unknown handler", group("gh", "", 2, 0, logJob("water", "every 5m")), `no handler named "blink"`},
		{"own job", group("gh", "", 2, 0, logJob("config-job", "every 5m")), "has a job \"config-job\" of its own"},
		{"unknown service", groups.Group{Name: "gh", Generation: 2, Services: map[string]groups.Service{"db": {Enabled: on(true)}}},
			`no service named "db"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, nil)
			r.deliver(t, map[string][]byte{"gh": payload(t, group("gh", "", 1, 0, logJob("old", "every 5m")), nil)})
			if tc.name == "unknown handler" {
				tc.bad.Jobs[0].Handler = "blink"
			}
			r.deliver(t, map[string][]byte{"gh": payload(t, tc.bad, nil)})
			r.expectJobs(t, "old")
			r.expectState(t, "gh", fleet.SyncFailed, tc.reason)
			if g := r.reported.Groups["gh"]; g.Applied != 1 || g.Generation != 2 || r.reported.Sync != fleet.SyncFailed {
				t.Errorf("report = %+v; want generation 2 refused, 1 applied", r.reported)
			}
		})
	}
}

// TestConflicts: the later group in file order wins, and the clash is reported.
func TestConflicts(t *testing.T) {
	r := newRig(t, nil)
	first := group("a", "", 1, 0, logJob("water", "every 5m"))
	second := group("b", "", 1, 1, logJob("water", "every 1h"))
	r.deliver(t, map[string][]byte{"a": payload(t, first, nil), "b": payload(t, second, nil)})
	if def := r.jobs.defs["water"]; def.Spec != "every 1h" || !slices.Contains(def.Tags, "group:b") {
		t.Errorf("water = %+v; want group b's", def)
	}
	if len(r.reported.Conflicts) != 1 || !strings.Contains(r.reported.Conflicts[0], "group b overrides group a") {
		t.Errorf("conflicts = %v", r.reported.Conflicts)
	}
}

// TestServiceRollback: a group enabling a service that fails to boot is
// rolled back (its jobs too) and reported failed; a good one stays.
func TestServiceRollback(t *testing.T) {
	r := newRig(t, nil)
	good := group("web", "", 1, 0, logJob("ping", "every 5m"))
	good.Services = map[string]groups.Service{"web": {Enabled: on(true)}}
	bad := group("bad", "", 1, 1, logJob("water", "every 5m"))
	bad.Services = map[string]groups.Service{"broken": {Enabled: on(true)}}
	r.deliver(t, map[string][]byte{"web": payload(t, good, nil), "bad": payload(t, bad, nil)})
	r.expectJobs(t, "ping")
	if !r.svcs.enabled["web"] || r.svcs.enabled["broken"] {
		t.Errorf("services = %v; want web on, broken rolled back off", r.svcs.enabled)
	}
	r.expectState(t, "bad", fleet.SyncFailed, "service broken failed to boot: failed (exit status 1); rolled back")
	r.expectState(t, "web", fleet.SyncInSync, "")
	// Removing the group restores the service's setting from before.
	r.deliver(t, map[string][]byte{"web": nil})
	if r.svcs.enabled["web"] {
		t.Error("web still enabled after its group went")
	}
}

func TestSignedGroups(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	_, otherPriv, _ := ed25519.GenerateKey(nil)
	kr, err := fleet.NewKeyring(fleet.TrustedKey{ID: "OP", Public: pub, Role: fleet.RoleOperator})
	if err != nil {
		t.Fatal(err)
	}
	op, forger := signer{"OP", priv}, signer{"OP", otherPriv}
	r := newRig(t, kr)
	r.deliver(t, map[string][]byte{"gh": payload(t, group("gh", "", 5, 0, logJob("water", "every 5m")), op)})
	r.expectJobs(t, "water")
	for _, tc := range []struct {
		name    string
		payload []byte
		reason  string
	}{
		{"unsigned", payload(t, group("gh", "", 6, 0), nil), "unsigned group"},
		{"forged", payload(t, group("gh", "", 6, 0), forger), "bad signature"},
		{"replayed older", payload(t, group("gh", "", 4, 0), op), "generation 4 is older than 5"},
		{"cleared, unsigned", nil, "was cleared, unsigned"},
		{"unsigned tombstone", payload(t, groups.Tombstone("gh", 6), nil), "unsigned group"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r.deliver(t, map[string][]byte{"gh": tc.payload})
			r.expectJobs(t, "water")
			r.expectState(t, "gh", fleet.SyncFailed, tc.reason)
		})
	}
	// Only the operator's tombstone deletes it, for good: delivered again
	// (it stays retained) it is no refusal, and the group's documents
	// before it are refused.
	tomb := payload(t, groups.Tombstone("gh", 7), op)
	for range 2 {
		r.deliver(t, map[string][]byte{"gh": tomb})
		r.expectJobs(t)
		if len(r.reported.Groups) != 0 {
			t.Fatalf("reported = %+v; want no group", r.reported.Groups)
		}
	}
	r.deliver(t, map[string][]byte{"gh": payload(t, group("gh", "", 6, 0, logJob("water", "every 5m")), op)})
	r.expectJobs(t)
	r.expectState(t, "gh", fleet.SyncFailed, "generation 6 is older than 7")
}

type signer struct {
	id   string
	priv ed25519.PrivateKey
}

func (s signer) ID() string                    { return s.id }
func (s signer) SignEd25519(msg []byte) []byte { return ed25519.Sign(s.priv, msg) }

// TestRestartKeepsState: a new converger on the same state file defines
// the applied jobs again and reports them in sync, before any message.
func TestRestartKeepsState(t *testing.T) {
	r := newRig(t, nil)
	r.deliver(t, map[string][]byte{"gh": payload(t, group("gh", "", 1, 0, logJob("water", "every 5m")), nil)})
	r.jobs = newFakeJobs()
	r.start(nil)
	r.c.report()
	r.expectJobs(t, "water")
	r.expectState(t, "gh", fleet.SyncInSync, "")
	// The same retained document arriving again changes nothing.
	r.deliver(t, map[string][]byte{"gh": payload(t, group("gh", "", 1, 0, logJob("water", "every 5m")), nil)})
	r.expectJobs(t, "water")
}

// TestCorruptState: a corrupt file is a warning and an empty start.
func TestCorruptState(t *testing.T) {
	r := newRig(t, nil)
	if err := os.WriteFile(r.path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.start(nil)
	r.c.report()
	r.expectJobs(t)
	if len(r.reported.Groups) != 0 {
		t.Errorf("reported = %+v", r.reported)
	}
	r.deliver(t, map[string][]byte{"gh": payload(t, group("gh", "", 1, 0, logJob("water", "every 5m")), nil)})
	r.expectJobs(t, "water")
}
