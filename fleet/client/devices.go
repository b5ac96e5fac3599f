package client

import (
	"context"
	"time"

	"github.com/drover-iot/drover/fleet"
)

// DefaultSettle is the quiet time after which Devices stops waiting for
// more retained messages when the broker gave no end marker.
const DefaultSettle = 500 * time.Millisecond

// Device is what the retained topics say about one device.
type Device struct {
	ID    string            `json:"id" yaml:"id"`
	State fleet.DeviceState `json:"state" yaml:"state"`
	// Info is the retained birth document, when there is one.
	Info *fleet.InfoDoc `json:"info,omitempty" yaml:"info,omitempty"`
	// LastSeen is the time of the retained status snapshot.
	LastSeen *time.Time `json:"last_seen,omitempty" yaml:"last_seen,omitempty"`
	// UptimeS is the uptime the status snapshot reported.
	UptimeS float64 `json:"uptime_s,omitempty" yaml:"uptime_s,omitempty"`
	// Sync sums up what the device applied of the groups ("" before it
	// reported anything).
	Sync fleet.SyncState `json:"sync,omitempty" yaml:"sync,omitempty"`
	// Reported is the device's retained reported document, when read.
	Reported *fleet.Reported `json:"-" yaml:"-"`
}

// Labels returns the device's labels from its birth document.
func (d Device) Labels() map[string]string {
	if d.Info == nil {
		return nil
	}
	return d.Info.Labels
}

// Version returns the agent version from the birth document.
func (d Device) Version() string {
	if d.Info == nil {
		return ""
	}
	return d.Info.Version
}

// UptimeAt is the device's uptime at now: from its last status snapshot,
// else from its birth document. It is false when the device is not online
// or neither tells.
func (d Device) UptimeAt(now time.Time) (time.Duration, bool) {
	switch {
	case d.State != fleet.StateOnline:
		return 0, false
	case d.LastSeen != nil && d.UptimeS > 0:
		return time.Duration(d.UptimeS*float64(time.Second)) + now.Sub(*d.LastSeen), true
	case d.Info != nil && !d.Info.StartedAt.IsZero():
		return now.Sub(d.Info.StartedAt), true
	}
	return 0, false
}

// Devices lists every device with a retained state, info, status or reported, sorted
// by id. It subscribes to the retained topics of all devices and then
// publishes an end marker to itself: brokers deliver retained messages of a
// subscription before later publishes, so the marker ends the listing
// without waiting. If the marker does not arrive, the listing ends after
// settle without a new message (DefaultSettle when settle <= 0) or when ctx
// ends; what was collected is returned.
func (c *Client) Devices(ctx context.Context, settle time.Duration) ([]Device, error) {
	return c.DevicesWith(ctx, settle, Everything)
}

// Reads says which retained topics a listing reads besides the state.
type Reads struct {
	// Info reads the birth documents (labels, version).
	Info bool
	// Status reads the status snapshots (last seen, uptime).
	Status bool
	// Reported reads what the devices applied of the groups (Sync).
	Reported bool
	// Groups reads the retained group documents too (Fleet).
	Groups bool
}

// Everything reads state, info, status and reported: what Devices reads.
var Everything = Reads{Info: true, Status: true, Reported: true}

// DevicesWith is Devices reading only the retained state and the topics
// reads names. A listing that needs neither labels nor uptime (ping --all)
// receives a third of the messages of a full one. Devices are listed from
// the topics read: one with no retained state is missing from a listing of
// the state only.
func (c *Client) DevicesWith(ctx context.Context, settle time.Duration, reads Reads) ([]Device, error) {
	col, err := c.list(ctx, settle, reads)
	if err != nil {
		return nil, err
	}
	return col.devices(), nil
}

// list collects the retained messages reads names until the end marker
// (or settle, or the end of ctx).
func (c *Client) list(ctx context.Context, settle time.Duration, reads Reads) (*collector, error) {
	if settle <= 0 {
		settle = DefaultSettle
	}
	syncTopic := c.syncTopic()
	col := newCollector(c.topics, syncTopic)
	filters := c.listingFilters(reads, syncTopic)
	if err := c.subscribe(ctx, filters, col.handle); err != nil {
		return nil, err
	}
	defer c.unsubscribe(filters)
	if tok := c.mqtt.Publish(syncTopic, 0, false, col.marker); waitToken(ctx, tok) != nil {
		c.log.Debug("end marker not published; waiting for the settle window")
	}
	c.waitSettled(ctx, col, settle)
	return col, nil
}

// listingFilters are the subscriptions of a listing that reads reads.
func (c *Client) listingFilters(reads Reads, syncTopic string) map[string]byte {
	filters := map[string]byte{c.topics.All(fleet.KindState): 0, syncTopic: 0}
	if reads.Info {
		filters[c.topics.All(fleet.KindInfo)] = 0
	}
	if reads.Status {
		filters[c.topics.All(fleet.KindStatus)] = 0
	}
	if reads.Reported {
		filters[c.topics.All(fleet.KindReported)] = 0
	}
	if reads.Groups {
		filters[c.topics.Groups()] = 0
	}
	return filters
}

func (c *Client) waitSettled(ctx context.Context, col *collector, settle time.Duration) {
	timer := c.clock.NewTimer(settle)
	defer timer.Stop()
	for {
		select {
		case <-col.notify:
			if col.done() {
				return
			}
			timer.Reset(settle)
		case <-timer.Chan():
			return
		case <-ctx.Done():
			return
		}
	}
}

// FilterDevices returns the devices whose labels match sel.
func FilterDevices(devs []Device, sel fleet.Selector) []Device {
	var out []Device
	for _, d := range devs {
		if sel.Matches(d.Labels()) {
			out = append(out, d)
		}
	}
	return out
}

// syncTopic is where the client publishes an end marker to itself: it
// arrives after the retained messages of the subscriptions made before it.
func (c *Client) syncTopic() string {
	return c.topics.Root() + "/$sync/" + c.opts.ClientID
}
