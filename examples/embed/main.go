// Command embed is the README's example of embedding the Drover agent in
// your own Go program: it registers a task and a job handler, then runs.
package main

import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/drover-iot/drover/agent"
	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/agent/supervise"
	"github.com/drover-iot/drover/scheduler"
)

func main() {
	cfg, err := config.Load("agent.yaml") // "" gives the defaults
	if err != nil {
		log.Fatal(err)
	}
	a, err := agent.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	// A task: runs until stopped, restarted by its policy, watched by its heartbeat.
	a.RegisterTask("blink", func(ctx context.Context, c *supervise.Ctl) (any, error) {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil, nil
			case <-t.C:
				c.Beat()
				c.Logger().Info("blink")
			}
		}
	})
	// A job handler: jobs in the config (or added with fleetctl) name it.
	a.RegisterHandler("backup", func(ctx context.Context, r scheduler.Run) error {
		return nil
	})
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := a.Run(ctx); err != nil {
		log.Fatal(err)
	}
}
