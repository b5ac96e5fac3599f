// Package fleettest provides test doubles for the fleet protocol: an
// embedded broker started per test and a tiny fake device that answers
// requests per protocol v1. It is meant for tests only.
package fleettest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/broker"
)

// StartedAt returns the started_at of every fake device's birth document:
// 2026-11-21 09:00:00 UTC.
func StartedAt() time.Time { return time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC) }

// WaitTimeout bounds every paho token wait in this package.
const WaitTimeout = 10 * time.Second

// StartBroker starts an embedded broker on a free loopback port and closes
// it when the test ends. It returns the broker URL.
func StartBroker(t testing.TB) string {
	t.Helper()
	b := broker.New(broker.Options{Listen: "127.0.0.1:0"})
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// mochi-mqtt's Close now and then waits on a client connection
		// that is going away; Broker.Close bounds it (so the agent never
		// hangs on it) and the test's subject is not the broker's stop.
		if err := b.Close(); errors.Is(err, broker.ErrCloseTimeout) {
			t.Log(err)
		} else if err != nil {
			t.Error(err)
		}
	})
	return b.URL()
}

// Connect returns a paho client connected to url, disconnected at cleanup.
func Connect(t testing.TB, url, id string) paho.Client {
	t.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker(url).SetClientID(id).SetAutoReconnect(false))
	Wait(t, c.Connect())
	t.Cleanup(func() { c.Disconnect(100) })
	return c
}

// Wait waits for tok for at most WaitTimeout and fails the test on error.
func Wait(t testing.TB, tok paho.Token) {
	t.Helper()
	if !tok.WaitTimeout(WaitTimeout) {
		t.Fatal("paho token timed out")
	}
	if err := tok.Error(); err != nil {
		t.Fatal(err)
	}
}

// Handler answers one command: a result, or an error (an *fleet.Error keeps
// its code). progress may be called to send progress reports first.
type Handler func(req fleet.Request, progress func(any)) (any, error)

// Device is a fake device: it answers requests on its cmd topic with the
// registered handlers and unknown_command for the rest.
type Device struct {
	ID     string
	client paho.Client
	topics fleet.Topics

	answers sync.WaitGroup // answering goroutines, waited for at cleanup

	mu       sync.Mutex
	handlers map[string]Handler
	requests []fleet.Request
	stopped  bool // no new answers once the test ends
}

// NewDevice connects a fake device with the given handlers, publishes its
// retained state "online" and birth document, and subscribes to its cmd topic.
func NewDevice(t testing.TB, url, id string, labels map[string]string, handlers map[string]Handler) *Device {
	t.Helper()
	d := &Device{ID: id, handlers: handlers, client: Connect(t, url, "dev-"+id)}
	t.Cleanup(d.stopAnswering) // runs before the client disconnects
	info, _ := json.Marshal(fleet.InfoDoc{V: fleet.Version, ID: id, Version: "v1.2.3", Go: "go1.26",
		OS: "linux", Arch: "arm64", Labels: labels, StartedAt: StartedAt()})
	Wait(t, d.client.Publish(d.topics.Info(id), 1, true, info))
	Wait(t, d.client.Publish(d.topics.State(id), 1, true, string(fleet.StateOnline)))
	Wait(t, d.client.Subscribe(d.topics.Cmd(id), 1, d.onCmd))
	return d
}

// Requests returns the decoded requests the device received so far.
func (d *Device) Requests() []fleet.Request {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]fleet.Request(nil), d.requests...)
}

// Publish publishes payload on topic from the device (QoS 0, not retained),
// without waiting.
func (d *Device) Publish(topic string, payload []byte) {
	d.client.Publish(topic, 0, false, payload)
}

// PublishWait publishes payload on topic from the device (QoS 1, not
// retained) and waits, at most WaitTimeout, until the broker has it. It may
// be called from a Handler.
func (d *Device) PublishWait(topic string, payload []byte) error {
	tok := d.client.Publish(topic, 1, false, payload)
	if !tok.WaitTimeout(WaitTimeout) {
		return fmt.Errorf("fleettest: publish to %s timed out", topic)
	}
	return tok.Error()
}

// onCmd answers in its own goroutine so paho's handler never blocks.
func (d *Device) onCmd(_ paho.Client, m paho.Message) {
	payload := m.Payload()
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.stopped {
		d.answers.Go(func() { d.answer(payload) })
	}
}

// stopAnswering refuses new requests and waits for the answers under way.
func (d *Device) stopAnswering() {
	d.mu.Lock()
	d.stopped = true
	d.mu.Unlock()
	d.answers.Wait()
}

func (d *Device) answer(payload []byte) {
	req, perr := fleet.DecodeRequest(payload, 0, time.Now())
	d.mu.Lock()
	d.requests = append(d.requests, req)
	h, ok := d.handlers[req.Cmd]
	d.mu.Unlock()
	reply := func(payload []byte) {
		d.client.Publish(d.topics.Reply(d.ID, req.From), 1, false, payload).WaitTimeout(WaitTimeout)
	}
	switch {
	case perr != nil:
		reply(fleet.EncodeError(req.ID, perr))
	case !ok:
		reply(fleet.EncodeError(req.ID, fleet.Errorf(fleet.CodeUnknownCommand, "unknown command %q", req.Cmd)))
	default:
		res, err := h(req, func(p any) { reply(fleet.EncodeProgress(req.ID, p)) })
		if err != nil {
			reply(fleet.EncodeError(req.ID, err))
			return
		}
		reply(fleet.EncodeResult(req.ID, res))
	}
}

// SeedRetained publishes retained state and info for n devices named
// <prefix>0000.. from one connection, for listing tests and benchmarks.
func SeedRetained(t testing.TB, url, prefix string, n int) {
	t.Helper()
	c := Connect(t, url, "seeder-"+prefix)
	var topics fleet.Topics
	toks := make([]paho.Token, 0, 2*n)
	for i := range n {
		id := prefix + pad(i)
		info, _ := json.Marshal(fleet.InfoDoc{V: fleet.Version, ID: id, Version: "v1.0.0",
			Labels: map[string]string{"rack": pad(i % 4)}})
		toks = append(toks, c.Publish(topics.State(id), 1, true, string(fleet.StateOnline)),
			c.Publish(topics.Info(id), 1, true, info))
	}
	for _, tok := range toks {
		Wait(t, tok)
	}
}

func pad(i int) string {
	const digits = "0123456789"
	b := []byte("0000")
	for p := 3; p >= 0 && i > 0; p-- {
		b[p] = digits[i%10]
		i /= 10
	}
	return string(b)
}
