// Command agent is the Drover device daemon: it loads the configuration,
// builds the agent, runs it until SIGTERM or SIGINT, and exits 0 after a
// clean stop. See `agent -h`. DROVER_CPUPROFILE=FILE writes a CPU profile
// of the run to FILE.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"

	"github.com/drover-iot/drover/internal/cpuprofile"
)

func main() {
	runtime.GOMAXPROCS(maxProcs(os.Getenv))
	stopProfile := cpuprofile.Start(os.Getenv(cpuprofile.EnvVar), os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	stopProfile()
	os.Exit(code)
}

// maxProcs is the agent's GOMAXPROCS: 1 unless the GOMAXPROCS variable says
// otherwise. The agent waits on timers and sockets and its work runs in
// child processes; with one processor the Go scheduler starts no spinning
// threads to look for work at each wake-up, which cut the CPU that 1,000
// agents on one 2-core machine used to come online by 30 % (docs/PERFORMANCE.md).
func maxProcs(getenv func(string) string) int {
	if n, err := strconv.Atoi(getenv("GOMAXPROCS")); err == nil && n > 0 {
		return n
	}
	return 1
}
