// Package exporter is fleetctl exporter: it follows the whole fleet
// through the broker (state, info, status, telemetry and the metrics each
// agent publishes) and serves one Prometheus /metrics with every device's
// families labelled device (plus chosen device labels), and
// drover_device_up, _info and _last_seen_timestamp_seconds. Prometheus
// never needs to reach a device.
package exporter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/common/model"

	"github.com/drover-iot/drover/fleet"
)

// Defaults of Options.
const (
	DefaultListen    = "127.0.0.1:9120"
	DefaultStale     = 5 * time.Minute
	DefaultQueueSize = 4096
)

// reservedLabels are the exporter's own labels; no device label may use them.
var reservedLabels = []string{"device", "version", "build", "os", "arch"}

// Options configure New.
type Options struct {
	// Topics gives the topic prefix. Default: "drover".
	Topics fleet.Topics
	// DeviceLabels are device labels (from the birth document) added to
	// every series of the device.
	DeviceLabels []string
	// Stale is how long the families of a device that is down or silent
	// are kept. Default: DefaultStale (5m).
	Stale time.Duration
	// QueueSize bounds the messages waiting to be applied; more are
	// dropped and counted. Default: DefaultQueueSize.
	QueueSize int
	// Logger receives bad messages and drops. Default: discard.
	Logger *slog.Logger
	// Clock times staleness and last-seen. Default: the real clock.
	Clock clockwork.Clock
}

// Exporter follows the fleet and serves its metrics.
type Exporter struct {
	opts   Options
	store  *store
	health *health
	queue  chan fleet.Message
}

// New checks opts and builds an Exporter. A device label that is not a
// valid Prometheus label name, or one of the exporter's own, is an error.
func New(opts Options) (*Exporter, error) {
	opts = opts.withDefaults()
	for _, k := range opts.DeviceLabels {
		if !model.LabelName(k).IsValidLegacy() || slices.Contains(reservedLabels, k) || k[0] == '_' {
			return nil, fmt.Errorf("exporter: device label %q: not a valid label name or reserved (%v)", k, reservedLabels)
		}
	}
	e := &Exporter{opts: opts, queue: make(chan fleet.Message, opts.QueueSize),
		store: newStore(opts.Topics, slices.Compact(slices.Sorted(slices.Values(opts.DeviceLabels))), opts.Stale)}
	e.health = newHealth(e.store)
	return e, nil
}

func (o Options) withDefaults() Options {
	if o.Stale <= 0 {
		o.Stale = DefaultStale
	}
	if o.QueueSize <= 0 {
		o.QueueSize = DefaultQueueSize
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	return o
}

// Subscriber is the part of client.Client the exporter uses.
type Subscriber interface {
	WatchTopics(ctx context.Context, filters map[string]byte, fn func(fleet.Message)) error
}

// Run subscribes to the fleet's topics and applies what arrives until ctx
// ends. It blocks.
func (e *Exporter) Run(ctx context.Context, sub Subscriber) error {
	t := e.opts.Topics
	filters := map[string]byte{t.All(fleet.KindState): 1, t.All(fleet.KindInfo): 1, t.All(fleet.KindStatus): 1,
		t.All(fleet.KindTelemetry): 0, t.All(fleet.KindMetrics): 0}
	if err := sub.WatchTopics(ctx, filters, e.Offer); err != nil {
		return fmt.Errorf("exporter: %w", err)
	}
	tick := e.opts.Clock.NewTicker(min(e.opts.Stale/4, 30*time.Second))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m := <-e.queue:
			e.Apply(m)
		case <-tick.Chan():
			e.store.sweep(e.opts.Clock.Now())
		}
	}
}

// Offer queues one message without blocking; when the queue is full it is
// dropped and counted.
func (e *Exporter) Offer(m fleet.Message) {
	select {
	case e.queue <- m:
	default:
		e.health.dropped.Inc()
	}
}

// Apply folds one message into the exporter's view now. A bad message is
// counted and logged; it never stops the exporter.
func (e *Exporter) Apply(m fleet.Message) {
	kind, err := e.store.apply(m, e.opts.Clock.Now())
	if kind == "" {
		kind = "unknown"
	}
	e.health.messages.WithLabelValues(kind).Inc()
	if err != nil {
		e.health.bad.WithLabelValues(kind).Inc()
		if errors.Is(err, ErrBadMessage) {
			e.opts.Logger.Warn("message ignored", "topic", m.Topic, "bytes", len(m.Payload), "err", err)
		}
	}
}

// Sweep drops what went stale by now (Run does it periodically).
func (e *Exporter) Sweep() { e.store.sweep(e.opts.Clock.Now()) }
