package cli

import (
	"strings"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/groups"
)

// Drift kinds of `fleetctl diff`.
const (
	driftMissing = "missing"  // the group matches, the device has not reported it
	driftDiffers = "differs"  // the device runs another version of the group
	driftFailed  = "failed"   // the device refused or rolled back the group
	driftExtra   = "extra"    // the device runs the group, which no longer matches it
	driftPending = "applying" // the device is applying it
)

// driftRow is one device's drift from one group of the file.
type driftRow struct {
	Device string          `json:"device"`
	State  string          `json:"state"`
	Group  string          `json:"group"`
	Drift  string          `json:"drift"`
	Want   string          `json:"want"`
	Have   string          `json:"have,omitempty"`
	Sync   fleet.SyncState `json:"sync,omitempty"`
	Reason string          `json:"reason,omitempty"`
}

// drift compares, for every device and every group of the file, what the
// file asks with what the device reported; rows only where they differ.
func drift(local []groups.Group, devs []client.Device) []driftRow {
	hashes := make([]string, len(local))
	matchers := make([]func(map[string]string) bool, len(local))
	for i, g := range local {
		hashes[i], matchers[i] = g.Hash(), g.Matcher()
	}
	var rows []driftRow
	for _, d := range devs {
		if d.Info == nil {
			continue
		}
		var reported map[string]fleet.GroupReport
		if d.Reported != nil {
			reported = d.Reported.Groups
		}
		for i, g := range local {
			rep, has := reported[g.Name]
			matched := matchers[i](d.Labels())
			row := driftRow{Device: d.ID, State: string(d.State), Group: g.Name, Want: hashes[i], Have: rep.Hash, Sync: rep.State}
			row.Drift = driftOf(matched, has, hashes[i], rep)
			if row.Drift == "" {
				continue
			}
			if !matched {
				row.Want = "-"
			}
			row.Reason = strings.Join(rep.Reasons, "; ")
			rows = append(rows, row)
		}
	}
	return rows
}

func driftOf(matches, has bool, hash string, rep fleet.GroupReport) string {
	switch {
	case !matches && has:
		return driftExtra
	case !matches:
		return ""
	case !has:
		return driftMissing
	case rep.Hash != hash:
		return driftDiffers
	case rep.State == fleet.SyncFailed:
		return driftFailed
	case rep.State == fleet.SyncApplying:
		return driftPending
	}
	return ""
}
