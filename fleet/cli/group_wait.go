package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/groups"
)

// syncTargets are the online devices that some group matches, with the
// groups each must report in sync.
func syncTargets(local []groups.Group, devs []client.Device) map[string][]groups.Group {
	out := map[string][]groups.Group{}
	matchers := make([]func(map[string]string) bool, len(local))
	for i, g := range local {
		matchers[i] = g.Matcher()
	}
	for _, d := range devs {
		if d.State != fleet.StateOnline || d.Info == nil {
			continue
		}
		labels := d.Labels()
		for i, g := range local {
			if matchers[i](labels) {
				out[d.ID] = append(out[d.ID], g)
			}
		}
	}
	return out
}

// syncProgress lists the devices still applying and those that failed
// (with the reasons) according to their latest reports.
func syncProgress(targets map[string][]groups.Group, latest map[string]fleet.Reported) (pending, failed []string) {
	for dev, gs := range targets {
		for _, g := range gs {
			rep := latest[dev].Groups[g.Name]
			if rep.Generation == g.Generation && rep.State == fleet.SyncFailed {
				failed = append(failed, fmt.Sprintf("%s: %s: %s", dev, g.Name, strings.Join(rep.Reasons, "; ")))
			} else if rep.Generation != g.Generation || rep.State != fleet.SyncInSync {
				pending = append(pending, dev)
				break
			}
		}
	}
	slices.Sort(pending)
	slices.Sort(failed)
	return pending, failed
}

// waitInSync waits until every target device reports each of its groups
// at the published generation, in sync or failed, or ctx ends.
func (a *app) waitInSync(ctx context.Context, c *client.Client, local []groups.Group, devs []client.Device) error {
	targets := syncTargets(local, devs)
	var mu sync.Mutex
	latest := map[string]fleet.Reported{}
	notify := make(chan struct{}, 1)
	topics := c.Topics()
	err := c.WatchTopics(ctx, map[string]byte{topics.All(fleet.KindReported): 1}, func(m fleet.Message) {
		p, err := topics.Parse(m.Topic)
		var r fleet.Reported
		if err != nil || p.Kind != fleet.KindReported || json.Unmarshal(m.Payload, &r) != nil {
			return
		}
		mu.Lock()
		latest[p.Device] = r
		mu.Unlock()
		select {
		case notify <- struct{}{}:
		default:
		}
	})
	if err != nil {
		return err
	}
	for {
		mu.Lock()
		pending, failed := syncProgress(targets, latest)
		mu.Unlock()
		if len(pending) == 0 {
			return a.syncResult(len(targets), failed)
		}
		select {
		case <-notify:
		case <-ctx.Done():
			return fmt.Errorf("%w: %d of %d devices still applying (%s): %w", errNotInSync, len(pending), len(targets),
				clipList(pending, 10), client.ErrTimeout)
		}
	}
}

func (a *app) syncResult(total int, failed []string) error {
	if len(failed) == 0 {
		fmt.Fprintf(a.opts.Stderr, "%d devices in sync\n", total)
		return nil
	}
	return fmt.Errorf("%w: %d failed:\n  %s", errNotInSync, len(failed), strings.Join(failed, "\n  "))
}

// clipList joins at most n items, saying how many more there are.
func clipList(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(", and %d more", len(items)-n)
}
