// Command fleetctl is the Drover operator CLI: it lists, inspects and steers
// devices through the MQTT broker. The command tree lives in fleet/cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/drover-iot/drover/fleet/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, os.Args[1:], cli.Options{})
	stop()
	os.Exit(code)
}
