package apply_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/ota/apply"
)

// TestReport: the child's health reports, one line per interval, and the
// end of the reports when the supervisor's end of the pipe is gone.
func TestReport(t *testing.T) {
	r, w := io.Pipe()
	clock := clockwork.NewFakeClock()
	var healthy atomic.Bool
	done := make(chan error, 1)
	go func() {
		done <- apply.Report(context.Background(), w, clock, time.Second, func() error {
			if healthy.Load() {
				return nil
			}
			return errors.New("broker\nnot connected")
		})
	}()
	br := bufio.NewReader(r)
	if line, _ := br.ReadString('\n'); line != "unhealthy: broker not connected\n" {
		t.Fatalf("first report %q", line)
	}
	healthy.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if line, _ := br.ReadString('\n'); line != "healthy\n" {
		t.Fatalf("second report %q", line)
	}
	_ = r.Close() // the supervisor is gone
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if err := <-done; err == nil {
		t.Fatal("Report went on after the pipe broke")
	}
}
