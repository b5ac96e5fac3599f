package apply

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jonboulle/clockwork"
)

// reportHealthy is the report line of a healthy binary on trial; any other
// line ("unhealthy: <why>") is not healthy.
const reportHealthy = "healthy"

// TrialPipe returns the health pipe that the supervising old version gave
// this process (TrialFDEnv), or nil when it does not run on trial. The
// descriptor is made close-on-exec so the agent's own children do not
// inherit it.
func TrialPipe() *os.File {
	fd, err := strconv.Atoi(os.Getenv(TrialFDEnv))
	if err != nil || fd < trialFD {
		return nil
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "ota-trial-health")
}

// Report writes health() to w every interval ("healthy", or "unhealthy:
// <why>") until ctx ends. It returns the write error when the pipe breaks:
// the supervisor is gone, and the caller must stop at once.
func Report(ctx context.Context, w io.Writer, clock clockwork.Clock, interval time.Duration, health func() error) error {
	ticker := clock.NewTicker(interval)
	defer ticker.Stop()
	for {
		line := reportHealthy
		if err := health(); err != nil {
			line = "unhealthy: " + strings.ReplaceAll(err.Error(), "\n", " ")
		}
		if _, err := io.WriteString(w, line+"\n"); err != nil {
			return fmt.Errorf("apply: trial health report: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.Chan():
		}
	}
}
