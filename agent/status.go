package agent

import (
	"encoding/json"
	"os"
	"strings"
	"time"

	"github.com/drover-iot/drover/agent/control"
	"github.com/drover-iot/drover/agent/mqttlink"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/internal/version"
	"github.com/drover-iot/drover/scheduler"
)

// statusMinInterval is the debounce of status publications on change.
const statusMinInterval = time.Second

// info is the birth document.
func (a *Agent) info() fleet.InfoDoc {
	caps := []fleet.Capability{fleet.CapCore}
	if a.ota != nil {
		caps = append(caps, fleet.CapOTA)
	}
	goos, goarch := version.OSArch()
	doc := fleet.InfoDoc{
		V: fleet.Version, ID: a.cfg.ID, Version: version.Version, Commit: version.Commit, Build: version.BuildNumber(),
		Go: version.GoVersion(), OS: goos, Arch: goarch, StartedAt: a.started.UTC(),
		BootID: bootID(), Labels: a.cfg.Labels, Capabilities: fleet.Offered(caps...), Broker: a.link.Broker(),
	}
	if a.ota != nil {
		doc.OTAKeys = a.ota.u.KeyIDs()
	}
	return doc
}

func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// birth is published, retained, on every connect after "online".
func (a *Agent) birth() []mqttlink.Message {
	payload, err := json.Marshal(a.info())
	if err != nil {
		return nil
	}
	return []mqttlink.Message{{Topic: a.topics.Info(a.cfg.ID), Payload: payload, QoS: 1, Retained: true}}
}

// snapshot is the device's status now.
func (a *Agent) snapshot() fleet.Snapshot {
	now := a.clock.Now()
	s := fleet.Snapshot{Device: a.cfg.ID, Time: now.UTC(), Version: version.Version,
		Uptime: now.Sub(a.started).Seconds(), Broker: a.link.Broker(), Tasks: []fleet.Unit{}, Services: []fleet.Unit{}}
	for _, u := range a.sup.Units() {
		if u.Kind == fleet.KindService {
			s.Services = append(s.Services, u)
		} else {
			s.Tasks = append(s.Tasks, u)
		}
	}
	s.Jobs = schedAdapter{a.sched, a.reg}.Jobs()
	s.Sensors = a.sensors.Readings()
	s.SensorErrors = a.sensors.Errors()
	if a.ota != nil {
		s.OTA = control.WireStatus(a.ota.Status())
	}
	s.Outbox = a.outboxStatus()
	return s
}

// outboxStatus is the outbox's depth for the status snapshot.
func (a *Agent) outboxStatus() *fleet.OutboxStatus {
	m := outboxAdapter{a.outbox, a.clock.Now}.OutboxStats()
	var dropped uint64
	for _, n := range m.Dropped {
		dropped += n
	}
	return &fleet.OutboxStatus{Records: m.Records, Bytes: m.Bytes, OldestAge: m.OldestAgeSeconds, Dropped: dropped}
}

// statusChanged asks for a status publication; it never blocks.
func (a *Agent) statusChanged() {
	select {
	case a.statusCh <- struct{}{}:
	default:
	}
}

// observeRun feeds the job histograms and marks the status changed.
func (a *Agent) observeRun(r scheduler.RunReport) {
	if !r.Skipped {
		a.metrics.ObserveJobRun(r.Job, r.Lateness, r.Duration)
	}
	if !r.Skipped && r.Err == nil {
		a.metrics.MarkJobSuccess(r.Job, r.Started.Add(r.Duration))
	}
	a.statusChanged()
}

// publishStatus queues the retained status; only the newest waits offline.
func (a *Agent) publishStatus() {
	payload, err := json.Marshal(a.snapshot())
	if err != nil {
		a.log.Error("encode status", "err", err)
		return
	}
	_ = a.link.Publish(mqttlink.Message{Topic: a.topics.Status(a.cfg.ID), Payload: payload, QoS: 1,
		Retained: true, Class: mqttlink.ClassLatest})
}

// statusLoop publishes the status on change, at most once per
// statusMinInterval, and every status_interval.
func (a *Agent) statusLoop(done <-chan struct{}) {
	tick := a.clock.NewTicker(max(a.cfg.StatusInterval.D(), statusMinInterval))
	defer tick.Stop()
	var last time.Time
	var pending <-chan time.Time
	for {
		select {
		case <-done:
			return
		case <-tick.Chan():
		case <-a.statusCh:
			if wait := statusMinInterval - a.clock.Since(last); wait > 0 {
				if pending == nil {
					pending = a.clock.After(wait)
				}
				continue
			}
		case <-pending:
		}
		pending = nil
		last = a.clock.Now()
		a.publishStatus()
	}
}

// redactedConfig is config.get's result.
func (a *Agent) redactedConfig() map[string]any {
	var out map[string]any
	b, err := json.Marshal(a.cfg.Redacted())
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	return out
}

// Connected reports whether the agent's MQTT link is connected, subscribed
// and its birth sent.
func (a *Agent) Connected() bool { return a.link.Connected() }
