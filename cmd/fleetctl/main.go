// Command fleetctl is the Drover operator CLI: it lists, inspects and steers
// devices through the MQTT broker. The command tree lives in fleet/cli.
// DROVER_CPUPROFILE=FILE writes a CPU profile of the run to FILE.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/drover-iot/drover/fleet/cli"
	"github.com/drover-iot/drover/internal/cpuprofile"
)

func main() {
	stopProfile := cpuprofile.Start(os.Getenv(cpuprofile.EnvVar), os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, os.Args[1:], cli.Options{})
	stop()
	stopProfile()
	os.Exit(code)
}
