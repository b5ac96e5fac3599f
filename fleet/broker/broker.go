// Package broker runs the embedded MQTT broker (mochi-mqtt v2) that Drover
// uses for zero-config development: the agent starts it when no broker is
// configured, and `fleetctl broker` runs it on its own. It allows every
// client and keeps retained messages in memory only.
package broker

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
)

// DefaultListen is the address the broker listens on by default.
const DefaultListen = "127.0.0.1:1883"

// DefaultCloseTimeout bounds Close.
const DefaultCloseTimeout = 5 * time.Second

// Options configure a Broker.
type Options struct {
	// Listen is the TCP address to listen on. Default: "127.0.0.1:1883".
	// Use "127.0.0.1:0" for a free port (tests), then read Addr.
	Listen string
	// Logger receives the broker's logs. Default: discard.
	Logger *slog.Logger
	// CloseTimeout bounds Close. Default: 5 * time.Second.
	CloseTimeout time.Duration
}

// Broker is an embedded MQTT 3.1.1/5 broker with allow-all authentication.
type Broker struct {
	opts   Options
	server *mqtt.Server
	tcp    *listeners.TCP

	closeOnce sync.Once
	closeErr  error
}

// New returns a broker that is not yet listening; call Start.
func New(opts Options) *Broker {
	if opts.Listen == "" {
		opts.Listen = DefaultListen
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.CloseTimeout <= 0 {
		opts.CloseTimeout = DefaultCloseTimeout
	}
	return &Broker{opts: opts}
}

// Start listens on Options.Listen and serves clients in the background.
func (b *Broker) Start() error {
	server := mqtt.New(&mqtt.Options{
		InlineClient: false,
		Logger:       b.opts.Logger.With("component", "broker"),
	})
	if err := server.AddHook(new(auth.AllowHook), nil); err != nil {
		return fmt.Errorf("%w: auth hook: %w", ErrStart, err)
	}
	tcp := listeners.NewTCP(listeners.Config{ID: "tcp", Address: b.opts.Listen})
	if err := server.AddListener(tcp); err != nil {
		return fmt.Errorf("%w: listen on %s: %w", ErrStart, b.opts.Listen, err)
	}
	if err := server.Serve(); err != nil {
		return fmt.Errorf("%w: serve: %w", ErrStart, err)
	}
	b.server, b.tcp = server, tcp
	b.opts.Logger.Info("embedded MQTT broker listening", "addr", tcp.Address())
	return nil
}

// Addr is the address the broker listens on (with the real port when
// Options.Listen asked for port 0), or "" before Start.
func (b *Broker) Addr() string {
	if b.tcp == nil {
		return ""
	}
	return b.tcp.Address()
}

// URL is the broker's address as a client URL, e.g. tcp://127.0.0.1:1883.
func (b *Broker) URL() string { return "tcp://" + b.Addr() }

// Close disconnects every client and stops listening, waiting at most
// Options.CloseTimeout. Later calls return the first call's result.
func (b *Broker) Close() error {
	if b.server == nil {
		return ErrNotStarted
	}
	b.closeOnce.Do(func() { b.closeErr = b.close() })
	return b.closeErr
}

func (b *Broker) close() error {
	done := make(chan error, 1)
	go func() { done <- b.server.Close() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("broker: close: %w", err)
		}
		return nil
	case <-time.After(b.opts.CloseTimeout):
		return fmt.Errorf("%w after %s", ErrCloseTimeout, b.opts.CloseTimeout)
	}
}

// Run starts the broker, blocks until ctx ends, then closes it.
func (b *Broker) Run(ctx context.Context) error {
	if err := b.Start(); err != nil {
		return err
	}
	<-ctx.Done()
	return b.Close()
}
