package client

import (
	"crypto/rand"
	"encoding/json"
	"maps"
	"sort"
	"sync"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet"
)

// collector gathers a listing's retained messages. Each is decoded as it
// arrives, in paho's handler goroutine while its reader goroutine takes in
// the next packets, so that decoding 10,000 birth documents overlaps the
// broker's delivery instead of following it. Decoding a few hundred bytes of
// JSON never blocks.
type collector struct {
	notify    chan struct{}
	marker    string
	syncTopic string
	topics    fleet.Topics

	mu     sync.Mutex
	byID   map[string]*Device
	groups map[string][]byte
	synced bool
}

func newCollector(topics fleet.Topics, syncTopic string) *collector {
	return &collector{notify: make(chan struct{}, 1), marker: rand.Text(), syncTopic: syncTopic,
		topics: topics, byID: map[string]*Device{}, groups: map[string][]byte{}}
}

func (col *collector) handle(_ paho.Client, m paho.Message) {
	if m.Topic() == col.syncTopic {
		col.mu.Lock()
		col.synced = col.synced || string(m.Payload()) == col.marker
		col.mu.Unlock()
	} else if name, ok := col.topics.GroupName(m.Topic()); ok {
		col.addGroup(name, m.Payload())
	} else if r, ok := decodeRetained(col.topics, m.Topic(), m.Payload()); ok {
		col.mu.Lock()
		r.applyTo(col.device(r.dev))
		col.mu.Unlock()
	}
	select {
	case col.notify <- struct{}{}:
	default:
	}
}

// device returns the entry of id, made on first use; col.mu is held.
func (col *collector) device(id string) *Device {
	d := col.byID[id]
	if d == nil {
		d = &Device{ID: id}
		col.byID[id] = d
	}
	return d
}

// addGroup keeps a group document; an empty (cleared) one is dropped.
func (col *collector) addGroup(name string, payload []byte) {
	col.mu.Lock()
	defer col.mu.Unlock()
	if len(payload) == 0 {
		delete(col.groups, name)
		return
	}
	col.groups[name] = payload
}

// groupDocs returns the group documents collected, by name.
func (col *collector) groupDocs() map[string][]byte {
	col.mu.Lock()
	defer col.mu.Unlock()
	return maps.Clone(col.groups)
}

func (col *collector) done() bool {
	col.mu.Lock()
	defer col.mu.Unlock()
	return col.synced
}

// devices returns what was collected, sorted by id.
func (col *collector) devices() []Device {
	col.mu.Lock()
	defer col.mu.Unlock()
	devs := make([]Device, 0, len(col.byID))
	for _, d := range col.byID {
		devs = append(devs, *d)
	}
	sort.Slice(devs, func(i, j int) bool { return devs[i].ID < devs[j].ID })
	return devs
}

// statusHead is the part of a status snapshot that Devices reads.
type statusHead struct {
	TS      time.Time `json:"ts"`
	UptimeS float64   `json:"uptime_s"`
}

// retained is one decoded retained message of a device.
type retained struct {
	dev, kind string
	state     fleet.DeviceState
	info      *fleet.InfoDoc
	head      statusHead
	rep       *fleet.Reported
}

// decodeRetained decodes the retained message on topic; false for a
// topic of no device or an empty (cleared) payload. A document that does
// not decode still lists its device, with nothing from it.
func decodeRetained(topics fleet.Topics, topic string, payload []byte) (retained, bool) {
	p, err := topics.Parse(topic)
	if err != nil || len(payload) == 0 {
		return retained{}, false
	}
	r := retained{dev: p.Device, kind: p.Kind}
	switch p.Kind {
	case fleet.KindState:
		r.state = fleet.DeviceState(payload)
		return r, true
	case fleet.KindInfo:
		var info fleet.InfoDoc
		if json.Unmarshal(payload, &info) == nil {
			r.info = &info
		}
	case fleet.KindStatus:
		if json.Unmarshal(payload, &r.head) != nil {
			r.head = statusHead{}
		}
	case fleet.KindReported:
		var rep fleet.Reported
		if json.Unmarshal(payload, &rep) == nil {
			r.rep = &rep
		}
	}
	return r, true
}

// applyTo sets what r says on d.
func (r retained) applyTo(d *Device) {
	switch r.kind {
	case fleet.KindState:
		d.State = r.state
	case fleet.KindInfo:
		if r.info != nil {
			d.Info = r.info
		}
	case fleet.KindStatus:
		if ts := r.head.TS; !ts.IsZero() {
			d.LastSeen, d.UptimeS = &ts, r.head.UptimeS
		}
	case fleet.KindReported:
		if r.rep != nil {
			d.Reported, d.Sync = r.rep, r.rep.Sync
		}
	}
}
