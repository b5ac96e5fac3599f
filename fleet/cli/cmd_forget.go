package cli

import (
	"context"
	"fmt"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

// forgetRow is one device's line of `devices --forget` output.
type forgetRow struct {
	Device string `json:"device"`
	State  string `json:"state,omitempty"`
	OK     bool   `json:"ok"`
	Error  string `json:"error,omitempty"`
}

// forget clears the retained state, info and status of the devices ids,
// so that they no longer show up. A device that is online (or updating)
// is refused unless force is set: its agent would keep publishing.
func (a *app) forget(ctx context.Context, ids []string, force bool) error {
	for _, id := range ids {
		if err := validDevice(id); err != nil {
			return err
		}
	}
	devs, err := a.listDevices(ctx, "")
	if err != nil {
		return err
	}
	rows, targets, fails := planForget(ids, devs, force)
	if len(targets) > 0 {
		if err := a.clearRetained(ctx, targets); err != nil {
			return err
		}
	}
	if err := a.out(rows, func() *table { return forgetTable(rows) }); err != nil {
		return err
	}
	if fails.failed > 0 {
		return fails
	}
	return nil
}

// planForget decides, per id, whether it is cleared or why not.
func planForget(ids []string, devs []client.Device, force bool) ([]forgetRow, []string, *deviceFailures) {
	byID := make(map[string]client.Device, len(devs))
	for _, d := range devs {
		byID[d.ID] = d
	}
	rows := make([]forgetRow, len(ids))
	var targets []string
	fails := &deviceFailures{total: len(ids)}
	for i, id := range ids {
		d, ok := byID[id]
		rows[i] = forgetRow{Device: id, State: string(d.State)}
		var err error
		switch {
		case !ok:
			err = unknownDeviceError{id}
		case !force && (d.State == fleet.StateOnline || d.State == fleet.StateUpdating):
			err = fmt.Errorf("device %q is %s: stop its agent first, or use --force", id, d.State)
		default:
			rows[i].OK = true
			targets = append(targets, id)
			continue
		}
		rows[i].Error = err.Error()
		fails.add(runError{err})
	}
	return rows, targets, fails
}

// clearRetained publishes empty retained messages (QoS 1) on the state,
// info and status topics of ids, which makes the broker drop them.
func (a *app) clearRetained(ctx context.Context, ids []string) error {
	c, err := a.dialPaho(ctx)
	if err != nil {
		return err
	}
	defer c.Disconnect(250)
	topics := fleet.Topics{Prefix: a.s.Prefix}
	for _, id := range ids {
		for _, topic := range []string{topics.State(id), topics.Info(id), topics.Status(id)} {
			tok := c.Publish(topic, 1, true, []byte{})
			select {
			case <-tok.Done():
			case <-ctx.Done():
				return fmt.Errorf("%w: clear %s: %w", client.ErrUnreachable, topic, ctx.Err())
			}
			if err := tok.Error(); err != nil {
				return fmt.Errorf("%w: clear %s: %w", client.ErrUnreachable, topic, err)
			}
		}
	}
	return nil
}

func forgetTable(rows []forgetRow) *table {
	t := &table{header: []string{"DEVICE", "STATE", "RESULT"}}
	for _, r := range rows {
		result := "forgotten"
		if !r.OK {
			result = r.Error
		}
		t.add(r.Device, orDash(r.State), result)
	}
	return t
}
