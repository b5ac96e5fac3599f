package cli

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/groups"
	"github.com/drover-iot/drover/fleet/jobspec"
)

// Plan actions of `fleetctl apply`.
const (
	planCreate    = "create"
	planUpdate    = "update"
	planUnchanged = "unchanged"
)

// planRow is what `fleetctl apply` does with one group of the file.
type planRow struct {
	Group      string   `json:"group"`
	Action     string   `json:"action"`
	Generation uint64   `json:"generation"`
	Devices    int      `json:"devices"`
	Changes    []string `json:"changes,omitempty"`
}

// retainedGroup is a group on the broker and the id of the key that
// signed it ("" when unsigned).
type retainedGroup struct {
	groups.Group
	SigKey string
}

// plan compares the file's groups with the retained ones, gives each
// changed group its next generation (never below now in Unix ms, always
// above the retained one, a deleted group's tombstone included) and counts the devices each matches. A group
// the same but signed by another key than signer's (signer "": unsigned)
// is published again.
func plan(local []groups.Group, retained map[string]retainedGroup, devs []client.Device, now time.Time, signer string) []planRow {
	rows := make([]planRow, len(local))
	for i := range local {
		g := &local[i]
		old, had := retained[g.Name]
		row := planRow{Group: g.Name, Action: planCreate, Devices: matching(*g, devs)}
		switch {
		case had && !old.Deleted && old.Hash() == g.Hash() && old.SigKey == signer:
			row.Action, g.Generation = planUnchanged, old.Generation
		case had && !old.Deleted:
			row.Action, row.Changes = planUpdate, changes(old.Group, *g)
			if old.SigKey != signer {
				row.Changes = append(row.Changes, fmt.Sprintf("signed by %q (was %q)", signer, old.SigKey))
			}
			g.Generation = max(uint64(now.UnixMilli()), old.Generation+1)
		default:
			row.Changes = changes(groups.Group{Selector: g.Selector}, *g)
			g.Generation = max(uint64(now.UnixMilli()), old.Generation+1) // above a tombstone's
		}
		row.Generation = g.Generation
		rows[i] = row
	}
	return rows
}

// matching counts the devices whose labels g's selector matches.
func matching(g groups.Group, devs []client.Device) int {
	n, _ := groupDevices(g, devs)
	return n
}

// changes lists what turns old into g: selector, order, jobs added (+),
// changed (~) or removed (-), service settings.
func changes(old, g groups.Group) []string {
	var out []string
	if old.Selector != g.Selector {
		out = append(out, fmt.Sprintf("selector %q -> %q", old.Selector, g.Selector))
	}
	if old.Order != g.Order {
		out = append(out, fmt.Sprintf("order %d -> %d", old.Order, g.Order))
	}
	oj, nj := jobsByName(old.Jobs), jobsByName(g.Jobs)
	for _, name := range slices.Sorted(maps.Keys(nj)) {
		if o, ok := oj[name]; !ok {
			out = append(out, "+job "+name)
		} else if !reflect.DeepEqual(o, nj[name]) {
			out = append(out, "~job "+name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(oj)) {
		if _, ok := nj[name]; !ok {
			out = append(out, "-job "+name)
		}
	}
	return append(out, serviceChanges(old.Services, g.Services)...)
}

func serviceChanges(old, cur map[string]groups.Service) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(cur)) {
		if o, ok := old[name]; !ok || *o.Enabled != *cur[name].Enabled {
			out = append(out, fmt.Sprintf("service %s enabled=%v", name, *cur[name].Enabled))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(old)) {
		if _, ok := cur[name]; !ok {
			out = append(out, "-service "+name)
		}
	}
	return out
}

func jobsByName(list []jobspec.Job) map[string]jobspec.Job {
	out := make(map[string]jobspec.Job, len(list))
	for _, j := range list {
		out[j.Name] = j
	}
	return out
}
