package exporter

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// stopTimeout bounds the HTTP server's graceful shutdown.
const stopTimeout = 5 * time.Second

// Handler serves the exporter's and the fleet's metrics.
func (e *Exporter) Handler() http.Handler {
	return promhttp.HandlerFor(e.Gatherer(), promhttp.HandlerOpts{ErrorLog: slogPrinter{e}})
}

type slogPrinter struct{ e *Exporter }

func (p slogPrinter) Println(v ...any) { p.e.opts.Logger.Error(fmt.Sprint(v...)) }

// Serve serves /metrics on ln until ctx ends, then shuts the server down
// within a bound. It blocks.
func (e *Exporter) Serve(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("/metrics", e.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("exporter: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-errc
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", ErrStopTimeout, err)
	}
	return err
}
