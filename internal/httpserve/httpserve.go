// Package httpserve serves an HTTP handler on a listener until a context
// ends, then shuts it down within a bound: the agent's /metrics and the
// exporter's share it.
package httpserve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Serve serves h at path on ln until ctx ends, then shuts the server down
// within stop. It blocks. A shutdown cut by stop returns an error wrapping
// errStop; a failing server one wrapping its error.
func Serve(ctx context.Context, ln net.Listener, path string, h http.Handler, stop time.Duration, errStop error) error {
	mux := http.NewServeMux()
	mux.Handle(path, h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), stop)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-errc
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", errStop, err)
	}
	return err
}
