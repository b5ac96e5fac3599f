package e2e

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
)

// mqttPublish is the MQTT control packet type of PUBLISH.
const mqttPublish = 3

// proxy is a TCP proxy between the agent and the broker that the test can
// cut (close every connection and refuse new ones), restore, or make
// swallow the PUBLISH packets the client sends (as if the link had died
// silently while the broker's packets still arrive).
type proxy struct {
	t        testing.TB
	ln       net.Listener
	upstream string
	wg       sync.WaitGroup

	mu        sync.Mutex
	conns     map[net.Conn]bool
	cut       bool
	swallow   bool
	only      []byte // with swallow, keep back only packets containing it
	swallowed bytes.Buffer
}

func startProxy(t testing.TB, upstream string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, ln: ln, upstream: upstream, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.Cut()
		p.wg.Wait()
	})
	return p
}

func (p *proxy) url() string { return "tcp://" + p.ln.Addr().String() }

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.handle(c)
	}
}

// handle pipes one client connection to a new upstream connection.
func (p *proxy) handle(client net.Conn) {
	defer p.wg.Done()
	up, err := net.Dial("tcp", p.upstream)
	if err != nil || !p.track(client, up) {
		client.Close()
		if up != nil {
			up.Close()
		}
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(client, up); done <- struct{}{} }()
	go func() { _ = p.forward(up, client); done <- struct{}{} }()
	<-done
	client.Close()
	up.Close()
	<-done
	p.untrack(client, up)
}

// track registers the pair unless the proxy is cut.
func (p *proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut {
		return false
	}
	for _, c := range conns {
		p.conns[c] = true
	}
	return true
}

func (p *proxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		delete(p.conns, c)
	}
}

// forward copies the client's MQTT packets upstream, one at a time,
// keeping PUBLISH packets back while swallowing.
func (p *proxy) forward(up io.Writer, client io.Reader) error {
	r := bufio.NewReader(client)
	for {
		pkt, err := readPacket(r)
		if err != nil {
			return err
		}
		if pkt[0]>>4 == mqttPublish && p.keep(pkt) {
			continue
		}
		if _, err := up.Write(pkt); err != nil {
			return err
		}
	}
}

// keep records pkt as swallowed and reports whether it was.
func (p *proxy) keep(pkt []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	keep := p.swallow && bytes.Contains(pkt, p.only)
	if keep {
		p.swallowed.Write(pkt)
	}
	return keep
}

// readPacket reads one MQTT control packet: fixed header byte, remaining
// length (1 to 4 bytes, 7 bits each), body.
func readPacket(r *bufio.Reader) ([]byte, error) {
	head, err := r.ReadByte()
	if err != nil {
		return nil, err
	}
	pkt := []byte{head}
	n, shift := 0, 0
	for i := 0; ; i++ {
		b, err := r.ReadByte()
		if err != nil {
			return nil, err
		}
		if i == 4 {
			return nil, errors.New("proxy: malformed remaining length")
		}
		pkt = append(pkt, b)
		n |= int(b&0x7f) << shift
		shift += 7
		if b&0x80 == 0 {
			break
		}
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	return append(pkt, body...), nil
}

// Cut closes every connection and refuses new ones until Restore.
func (p *proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for c := range p.conns {
		c.Close()
	}
}

// Restore accepts connections again.
func (p *proxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
}

// Swallow starts or stops keeping back the client's PUBLISH packets.
func (p *proxy) Swallow(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.swallow, p.only = on, nil
}

// SwallowOnly starts keeping back the client's PUBLISH packets that
// contain s (a topic, say), letting every other packet through.
func (p *proxy) SwallowOnly(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.swallow, p.only = true, []byte(s)
}

// Swallowed reports whether a swallowed packet contained s.
func (p *proxy) Swallowed(s string) (bool, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return bytes.Contains(p.swallowed.Bytes(), []byte(s)), fmt.Sprintf("%d bytes swallowed", p.swallowed.Len())
}
