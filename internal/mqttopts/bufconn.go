package mqttopts

import (
	"bufio"
	"net"
	"net/url"
	"strings"

	paho "github.com/eclipse/paho.mqtt.golang"
	"golang.org/x/net/proxy"
)

// plainSchemes are the broker URL schemes whose connection is a bare TCP
// socket: paho reads each packet from it with several small reads (fixed
// header, length, body), one system call each. TLS and WebSocket
// connections already read whole records or frames into a buffer.
var plainSchemes = []string{"tcp", "mqtt"}

// bufferedConn is a connection whose reads go through a buffer, so that a
// burst of small packets (a retained listing, thousands of replies) costs a
// few system calls instead of three or four per packet.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

// Read reads through the buffer.
func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// plainOnly reports whether every broker URL is a plain TCP one.
func plainOnly(brokers []string) bool {
	for _, b := range brokers {
		scheme, _, _ := strings.Cut(b, "://")
		if !isPlain(scheme) {
			return false
		}
	}
	return len(brokers) > 0
}

func isPlain(scheme string) bool {
	for _, s := range plainSchemes {
		if strings.EqualFold(scheme, s) {
			return true
		}
	}
	return false
}

// openBuffered returns paho's connection function for plain TCP brokers
// that dials as paho does (through a proxy from the environment, if any)
// and buffers reads in size bytes.
func openBuffered(size int) paho.OpenConnectionFunc {
	return func(uri *url.URL, o paho.ClientOptions) (net.Conn, error) {
		d := o.Dialer
		if d == nil {
			d = &net.Dialer{Timeout: o.ConnectTimeout}
		}
		conn, err := proxy.FromEnvironmentUsing(d).Dial("tcp", uri.Host)
		if err != nil {
			return nil, err
		}
		return &bufferedConn{Conn: conn, r: bufio.NewReaderSize(conn, size)}, nil
	}
}
