// Command agent is the Drover device daemon: it loads the configuration,
// builds the agent, runs it until SIGTERM or SIGINT, and exits 0 after a
// clean stop. See `agent -h`. DROVER_CPUPROFILE=FILE writes a CPU profile
// of the run to FILE.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/drover-iot/drover/internal/cpuprofile"
	_ "github.com/drover-iot/drover/internal/oneproc" // one processor, set before most package inits
)

func main() {
	stopProfile := cpuprofile.Start(os.Getenv(cpuprofile.EnvVar), os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	stopProfile()
	os.Exit(code)
}
