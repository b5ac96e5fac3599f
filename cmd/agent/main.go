// Command agent is the Drover device daemon: it loads the configuration,
// builds the agent, runs it until SIGTERM or SIGINT, and exits 0 after a
// clean stop. See `agent -h`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
