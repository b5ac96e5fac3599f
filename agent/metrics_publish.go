package agent

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/drover-iot/drover/agent/mqttlink"
)

// metricsPublishPart publishes the registry on drover/<dev>/metrics every
// metrics.publish_interval (QoS 0, not retained: a stale copy is worthless
// and fleetctl exporter marks silent devices itself). Nil when off.
func (a *Agent) metricsPublishPart() *part {
	every := a.cfg.Metrics.PublishEvery()
	if every <= 0 {
		return nil
	}
	return &part{"metrics-publish", func(ctx context.Context) error {
		t := a.clock.NewTimer(metricsPhase(every))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-t.Chan():
				t.Reset(every) // before the publish: the period stays every
				a.publishMetrics()
			}
		}
	}}
}

// publishMetrics sends one metrics payload; while offline it is dropped.
func (a *Agent) publishMetrics() {
	if !a.link.Connected() {
		return
	}
	payload, err := a.metrics.Payload()
	if err != nil {
		a.log.Error("encode metrics", "err", err)
		return
	}
	_ = a.link.Publish(mqttlink.Message{Topic: a.topics.Metrics(a.cfg.ID), Payload: payload, QoS: 0})
}

// metricsPhase is when the first payload goes: a random point of the first
// interval, so that devices started together (a site back from a power
// cut, a simulator) do not all publish in the same second ever after.
func metricsPhase(every time.Duration) time.Duration { return rand.N(every) }
