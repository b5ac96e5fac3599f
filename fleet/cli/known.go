package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

// UnknownAfter is how long a request waits for its reply before fleetctl
// checks the broker's retained state for the device: one that has none is
// unknown, and the command ends at once instead of at --timeout.
const UnknownAfter = 300 * time.Millisecond

// request sends one request and waits for its final reply. When no reply
// came within UnknownAfter and the device has no retained state, it fails
// early with ErrUnknownDevice. Other errors are prefixed with the device id.
func (a *app) request(ctx context.Context, c *client.Client, dev, cmd string, args any) (fleet.Reply, error) {
	r, err := a.ask(ctx, c, dev, cmd, args)
	if err != nil && !errors.Is(err, ErrUnknownDevice) {
		return r, fmt.Errorf("%s: %w", dev, err)
	}
	return r, err
}

// ask is request without the device prefix on errors, for callers that
// show the device id next to the error already (ping's rows).
func (a *app) ask(ctx context.Context, c *client.Client, dev, cmd string, args any) (fleet.Reply, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	wg.Go(func() { a.watchUnknown(ctx, c, dev, cancel) })
	r, err := c.Request(ctx, dev, cmd, args)
	cancel(nil)
	wg.Wait()
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, ErrUnknownDevice) {
		return r, cause
	}
	return r, err
}

// watchUnknown cancels ctx with ErrUnknownDevice when, after UnknownAfter,
// the broker holds no retained state, info or status of dev.
func (a *app) watchUnknown(ctx context.Context, c *client.Client, dev string, cancel context.CancelCauseFunc) {
	t := a.opts.Clock.NewTimer(UnknownAfter)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return
	case <-t.Chan():
	}
	devs, err := c.Devices(ctx, client.DefaultSettle)
	if err != nil || ctx.Err() != nil {
		return // the request ended meanwhile, or the listing failed: no verdict
	}
	if !slices.ContainsFunc(devs, func(d client.Device) bool { return d.ID == dev }) {
		cancel(unknownDeviceError{dev})
	}
}
