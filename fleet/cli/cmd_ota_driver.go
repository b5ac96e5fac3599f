package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/rollout"
	"github.com/drover-iot/drover/ota/state"
)

// clientDriver is rollout.Driver on the fleet client.
type clientDriver struct {
	c *client.Client
	// timeout bounds each request (--timeout).
	timeout time.Duration
}

var _ rollout.Driver = clientDriver{}

// errNotReached means a pushed device sent no reply in time.
var errNotReached = errors.New("device did not answer the push")

// Push sends ota.apply and returns once the device answered at all (its
// first progress report or its final reply): the update then runs on the
// device, and Status follows it. No answer in time is an error, so the
// rollout pushes again later (an offline device gets it when back).
func (d clientDriver) Push(ctx context.Context, dev, artifact string) error {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	reached := make(chan struct{}, 1)
	_, err := d.c.RequestProgress(ctx, dev, fleet.CmdOTAApply, fleet.OTAApplyArgs{Artifact: artifact}, func(fleet.Reply) {
		select {
		case reached <- struct{}{}:
		default:
		}
		cancel()
	})
	var fe *fleet.Error
	switch {
	case len(reached) > 0, err == nil, errors.As(err, &fe):
		return nil // answered; a refusal shows in Status as failed
	default:
		return fmt.Errorf("%w: %s: %w", errNotReached, dev, err)
	}
}

// Status reads the running build (info) and the OTA record (ota.status).
func (d clientDriver) Status(ctx context.Context, dev string) (rollout.DeviceStatus, error) {
	var info fleet.InfoDoc
	var rec fleet.OTAStatus
	for _, q := range []struct {
		cmd string
		out any
	}{{fleet.CmdInfo, &info}, {fleet.CmdOTAStatus, &rec}} {
		rctx, cancel := context.WithTimeout(ctx, d.timeout)
		r, err := d.c.Request(rctx, dev, q.cmd, nil)
		cancel()
		if err == nil {
			err = r.Decode(q.out)
		}
		if err != nil {
			return rollout.DeviceStatus{}, fmt.Errorf("%s: %w", dev, err)
		}
	}
	return rollout.DeviceStatus{Build: info.Build, OTA: state.State(rec.State), Reason: rec.Reason}, nil
}

// Targets lists the devices the selector matches from their retained
// births, online when their retained state says so (online or updating).
func (d clientDriver) Targets(ctx context.Context, selector string) ([]rollout.Target, error) {
	sel, err := fleet.ParseSelector(selector)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	all, err := d.c.Devices(ctx, 0)
	if err != nil {
		return nil, err
	}
	devs := client.FilterDevices(all, sel)
	ts := make([]rollout.Target, len(devs))
	for i, dev := range devs {
		ts[i] = rollout.Target{ID: dev.ID, Online: dev.State == fleet.StateOnline || dev.State == fleet.StateUpdating}
	}
	return ts, nil
}
