package metrics

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/drover-iot/drover/internal/httpserve"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// stopTimeout bounds the HTTP server's graceful shutdown.
const stopTimeout = 5 * time.Second

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Listen opens addr for Serve; it is separate so a caller can report a
// busy port before it starts anything else.
func Listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = DefaultListen
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrListen, addr, err)
	}
	return ln, nil
}

// Serve serves /metrics on ln until ctx ends, then shuts the server down
// within a bound. It blocks.
func (m *Metrics) Serve(ctx context.Context, ln net.Listener) error {
	if err := httpserve.Serve(ctx, ln, "/metrics", m.Handler(), stopTimeout, ErrStopTimeout); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}
