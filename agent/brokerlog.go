package agent

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
)

// brokerLogFilter is the embedded broker's log handler: once the agent
// closes the broker, the errors of connections ending because of that
// close ("use of closed network connection") are expected and dropped.
type brokerLogFilter struct {
	next    slog.Handler
	closing *atomic.Bool
}

var _ slog.Handler = brokerLogFilter{}

func (f brokerLogFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return f.next.Enabled(ctx, l)
}

func (f brokerLogFilter) Handle(ctx context.Context, r slog.Record) error {
	if f.closing.Load() && hasClosedConnErr(r) {
		return nil
	}
	return f.next.Handle(ctx, r)
}

func (f brokerLogFilter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return brokerLogFilter{next: f.next.WithAttrs(attrs), closing: f.closing}
}

func (f brokerLogFilter) WithGroup(name string) slog.Handler {
	return brokerLogFilter{next: f.next.WithGroup(name), closing: f.closing}
}

// hasClosedConnErr reports whether one of r's attributes is an error
// saying the connection was closed.
func hasClosedConnErr(r slog.Record) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		err, ok := a.Value.Any().(error)
		found = ok && isClosedConn(err)
		return !found
	})
	return found
}

func isClosedConn(err error) bool {
	return errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "use of closed network connection")
}
