package mqttopts

import (
	"bytes"
	"io"
	"net"
	"net/url"
	"testing"

	paho "github.com/eclipse/paho.mqtt.golang"
)

func TestReadBufferOnlyForPlainTCP(t *testing.T) {
	tests := []struct {
		brokers []string
		size    int
		want    bool
	}{
		{[]string{"tcp://h:1883"}, 4096, true},
		{[]string{"tcp://a:1883", "MQTT://b:1883"}, 4096, true},
		{[]string{"tcp://h:1883"}, 0, false},
		{[]string{"tcp://a:1883", "ssl://b:8883"}, 4096, false},
		{[]string{"ws://h:8080/mqtt"}, 4096, false},
	}
	for _, tt := range tests {
		po, err := Options{Brokers: tt.brokers, ReadBuffer: tt.size}.ClientOptions()
		if err != nil {
			t.Fatal(err)
		}
		if got := po.CustomOpenConnectionFn != nil; got != tt.want {
			t.Errorf("%v with ReadBuffer %d: buffered = %v, want %v", tt.brokers, tt.size, got, tt.want)
		}
	}
}

// TestBufferedConnPassesBytesBothWays dials a real listener through the
// buffered connection function: what the peer sends arrives whole, in order,
// read in small pieces as paho reads, and writes reach the peer.
func TestBufferedConnPassesBytesBothWays(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	sent := bytes.Repeat([]byte("0123456789abcdef"), 1000)
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		_, _ = c.Write(sent)
		b := make([]byte, 4)
		_, _ = io.ReadFull(c, b)
		got <- b
	}()
	conn, err := openBuffered(64)(&url.URL{Scheme: "tcp", Host: ln.Addr().String()}, paho.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var read bytes.Buffer
	piece := make([]byte, 3)
	for read.Len() < len(sent) {
		n, err := conn.Read(piece)
		if err != nil {
			t.Fatalf("read after %d bytes: %v", read.Len(), err)
		}
		read.Write(piece[:n])
	}
	if !bytes.Equal(read.Bytes(), sent) {
		t.Fatal("bytes read differ from bytes sent")
	}
	if _, err := conn.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if b := <-got; string(b) != "ping" {
		t.Fatalf("peer got %q, want ping", b)
	}
}

func TestBufferedDialFailsClearly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if _, err := openBuffered(64)(&url.URL{Scheme: "tcp", Host: addr}, paho.ClientOptions{}); err == nil {
		t.Fatal("dial to a closed port succeeded")
	}
}
