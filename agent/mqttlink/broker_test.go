package mqttlink

import (
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// testBroker is an in-process mochi-mqtt broker that can be stopped and
// started again on the same address.
type testBroker struct {
	t       *testing.T
	addr    string
	srv     *mqtt.Server
	watches []watchReg
	hooks   []mqtt.Hook
}

// watchReg is an inline subscription re-made on every start, before the
// broker accepts clients.
type watchReg struct {
	filter string
	ch     chan Message
}

func startBroker(t *testing.T, addr string, hooks ...mqtt.Hook) *testBroker {
	t.Helper()
	if addr == "" {
		addr = freeAddr(t)
	}
	b := &testBroker{t: t, addr: addr, hooks: hooks}
	b.start()
	t.Cleanup(b.stop)
	return b
}

func (b *testBroker) url() string { return "tcp://" + b.addr }

func (b *testBroker) start() {
	b.t.Helper()
	srv := mqtt.New(&mqtt.Options{InlineClient: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, h := range append([]mqtt.Hook{new(auth.AllowHook)}, b.hooks...) {
		if err := srv.AddHook(h, nil); err != nil {
			b.t.Fatal(err)
		}
	}
	if err := srv.AddListener(listeners.NewTCP(listeners.Config{ID: "t", Address: b.addr})); err != nil {
		b.t.Fatal(err)
	}
	for i, w := range b.watches {
		b.subscribe(srv, i+1, w)
	}
	if err := srv.Serve(); err != nil {
		b.t.Fatal(err)
	}
	b.srv = srv
}

func (b *testBroker) stop() {
	if b.srv != nil {
		_ = b.srv.Close()
		b.srv = nil
	}
}

func (b *testBroker) restart() {
	b.stop()
	b.start()
}

// watch subscribes inline to filter, now and after every restart, and
// returns a channel of the messages (retained ones included).
func (b *testBroker) watch(filter string) <-chan Message {
	w := watchReg{filter: filter, ch: make(chan Message, 1000)}
	b.watches = append(b.watches, w)
	b.subscribe(b.srv, len(b.watches), w)
	return w.ch
}

func (b *testBroker) subscribe(srv *mqtt.Server, id int, w watchReg) {
	err := srv.Subscribe(w.filter, id, func(_ *mqtt.Client, _ packets.Subscription, pk packets.Packet) {
		w.ch <- Message{Topic: pk.TopicName, Payload: append([]byte(nil), pk.Payload...), QoS: pk.FixedHeader.Qos, Retained: pk.FixedHeader.Retain}
	})
	if err != nil {
		b.t.Fatal(err)
	}
}

// publish sends a message from the broker's inline client.
func (b *testBroker) publish(topic, payload string) {
	if err := b.srv.Publish(topic, []byte(payload), false, 1); err != nil {
		b.t.Fatal(err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// proxy forwards TCP connections to a target and can cut them all at
// once, which the broker sees as an abrupt network loss.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	held   bool // new connections are closed at once
	wg     sync.WaitGroup
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *proxy) url() string { return "tcp://" + p.ln.Addr().String() }

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		held := p.held
		p.mu.Unlock()
		if held {
			c.Close()
			continue
		}
		u, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, u)
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(c, u)
		go p.pipe(u, c)
	}
}

func (p *proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	_, _ = io.Copy(dst, src)
	dst.Close()
}

// cut closes every open connection without an MQTT DISCONNECT.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// hold refuses new connections (closing them at once) until hold(false).
func (p *proxy) hold(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.held = on
}

func (p *proxy) close() {
	p.ln.Close()
	p.cut()
	p.wg.Wait()
}
