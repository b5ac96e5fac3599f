// Command fleetctl is the Drover operator CLI: it lists, inspects and steers
// devices through the MQTT broker. The command tree lives in fleet/cli.
//
// DROVER_CPUPROFILE=FILE writes a CPU profile of the run to FILE (for the
// measurements in docs/PERFORMANCE.md).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/drover-iot/drover/fleet/cli"
)

func main() {
	stopProfile := startProfile(os.Getenv("DROVER_CPUPROFILE"))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, os.Args[1:], cli.Options{})
	stop()
	stopProfile()
	os.Exit(code)
}

// startProfile starts a CPU profile to path, when path is set, and returns
// what stops it.
func startProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleetctl: cpu profile:", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
