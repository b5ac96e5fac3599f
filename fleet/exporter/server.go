package exporter

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/drover-iot/drover/internal/httpserve"
	"github.com/prometheus/common/expfmt"
)

// stopTimeout bounds the HTTP server's graceful shutdown.
const stopTimeout = 5 * time.Second

// Handler serves the exporter's and the fleet's metrics in the text
// format, gzip-compressed (at the fastest level) when the client accepts it.
func (e *Exporter) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
		var out io.Writer = w
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
			defer zw.Close()
			out = zw
		}
		bw := bufio.NewWriterSize(out, 64<<10)
		if err := errors.Join(e.health.write(bw), bw.Flush()); err != nil {
			e.opts.Logger.Error("scrape", "err", err)
		}
	})
}

// Serve serves /metrics on ln until ctx ends, then shuts the server down
// within a bound. It blocks.
func (e *Exporter) Serve(ctx context.Context, ln net.Listener) error {
	if err := httpserve.Serve(ctx, ln, "/metrics", e.Handler(), stopTimeout, ErrStopTimeout); err != nil {
		return fmt.Errorf("exporter: %w", err)
	}
	return nil
}
