package exporter

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/metricspayload"
)

// maxInterned bounds the store's table of family names and help texts.
const maxInterned = 8192

// store holds every known device. Its memory is bounded by the devices
// that have a retained state in the broker: a device whose retained state
// is cleared (fleetctl devices --forget) is forgotten, and the families of
// a device that is down or silent are dropped after stale.
type store struct {
	topics    fleet.Topics
	labelKeys []string
	stale     time.Duration
	limits    metricspayload.Limits

	mu      sync.Mutex
	devices map[string]*device
	// names holds one copy of each family name and help text: devices
	// repeat them, and a scrape compares names by the thousand.
	names map[string]string
}

func newStore(topics fleet.Topics, labelKeys []string, stale time.Duration) *store {
	return &store{topics: topics, labelKeys: labelKeys, stale: stale, devices: map[string]*device{}, names: map[string]string{}}
}

// apply folds one message into the store. A message it cannot use gives
// an error wrapping ErrBadMessage and changes nothing.
func (s *store) apply(m fleet.Message, now time.Time) (kind string, err error) {
	p, err := s.topics.Parse(m.Topic)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadMessage, err)
	}
	switch p.Kind {
	case fleet.KindState:
		err = s.applyState(p.Device, m, now)
	case fleet.KindInfo:
		err = s.applyInfo(p.Device, m.Payload)
	case fleet.KindStatus, fleet.KindTelemetry:
		s.applySeen(p.Device, m, now)
	case fleet.KindMetrics:
		err = s.applyMetrics(p.Device, m.Payload, now)
	}
	return p.Kind, err
}

// get returns the device, creating it; s.mu is held.
func (s *store) get(id string) *device {
	d := s.devices[id]
	if d == nil {
		d = &device{id: id}
		s.devices[id] = d
	}
	return d
}

func (s *store) applyState(id string, m fleet.Message, now time.Time) error {
	switch st := fleet.DeviceState(m.Payload); st {
	case "", fleet.StateOnline, fleet.StateOffline, fleet.StateLost, fleet.StateUpdating:
	default:
		return fmt.Errorf("%w: state of %s: %.32q is not a device state", ErrBadMessage, id, st)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(m.Payload) == 0 { // retained state cleared: the device is forgotten
		delete(s.devices, id)
		return nil
	}
	d := s.get(id)
	d.state = fleet.DeviceState(m.Payload)
	switch {
	case d.up():
		d.downSince = time.Time{}
		if !m.Retained {
			d.lastSeen = now
		}
	case d.downSince.IsZero():
		d.downSince = now
	}
	return nil
}

func (s *store) applyInfo(id string, payload []byte) error {
	if len(payload) == 0 {
		return nil
	}
	var info fleet.InfoDoc
	if err := json.Unmarshal(payload, &info); err != nil {
		return fmt.Errorf("%w: info of %s: %w", ErrBadMessage, id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.get(id).info = &info
	return nil
}

// statusTime is the part of a status snapshot the exporter reads.
type statusTime struct {
	TS time.Time `json:"ts"`
}

func (s *store) applySeen(id string, m fleet.Message, now time.Time) {
	at := now
	if m.Retained {
		var st statusTime
		if json.Unmarshal(m.Payload, &st) != nil || st.TS.IsZero() {
			return
		}
		at = st.TS
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.get(id); at.After(d.lastSeen) {
		d.lastSeen = at
	}
}

// applyMetrics decodes and renders a payload outside s.mu (a scrape or
// the other messages need not wait for it) and then stores it.
func (s *store) applyMetrics(id string, payload []byte, now time.Time) error {
	fams, err := metricspayload.Decode(payload, s.limits)
	if err != nil {
		return fmt.Errorf("%w: metrics of %s: %w", ErrBadMessage, id, err)
	}
	relabel(fams, s.labels(id))
	enc, err := encodeFamilies(fams)
	if err != nil {
		return err
	}
	sortByName(enc)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.intern(enc)
	d := s.get(id)
	d.fams, d.metricsAt, d.lastSeen = enc, now, now
	return nil
}

// intern replaces the names and help texts of enc with the store's copies;
// s.mu is held. The table stops growing at maxInterned strings (a device
// inventing names cannot grow it without bound); later ones stay copies.
func (s *store) intern(enc []encoded) {
	for i := range enc {
		enc[i].name, enc[i].help = s.internOne(enc[i].name), s.internOne(enc[i].help)
	}
}

func (s *store) internOne(v string) string {
	if have, ok := s.names[v]; ok {
		return have
	}
	if len(s.names) < maxInterned {
		s.names[v] = v
	}
	return v
}

// labels are the device's own labels (device.labels).
func (s *store) labels(id string) []*dto.LabelPair {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.get(id).labels(s.labelKeys)
}

// sweep drops the families of devices down or silent for longer than
// stale, and forgets devices that never had a state and went silent.
func (s *store) sweep(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, d := range s.devices {
		if !d.downSince.IsZero() && now.Sub(d.downSince) >= s.stale || now.Sub(d.metricsAt) >= s.stale {
			d.fams = nil
		}
		if d.state == "" && now.Sub(d.lastSeen) >= s.stale {
			delete(s.devices, id)
		}
	}
}

// count is the number of known devices.
func (s *store) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.devices)
}
