package agent

import (
	"context"
	"time"

	"github.com/drover-iot/drover/agent/supervise"
	"github.com/drover-iot/drover/scheduler"
)

// demoInterval is the period of the demo task's heartbeat.
const demoInterval = 10 * time.Second

// AddDemo registers a demo task ("heartbeat", logs every 10 s), a demo
// handler ("hello") and a job running it every minute, so that a
// zero-config `go run ./cmd/agent` shows a working device.
func (a *Agent) AddDemo() error {
	err := a.RegisterTask("heartbeat", func(ctx context.Context, c *supervise.Ctl) (any, error) {
		t := a.clock.NewTicker(demoInterval)
		defer t.Stop()
		for n := 1; ; n++ {
			select {
			case <-ctx.Done():
				return n, nil
			case <-t.Chan():
				c.Logger().Info("heartbeat", "n", n)
			}
		}
	})
	if err != nil {
		return err
	}
	if err := a.RegisterHandler("hello", func(_ context.Context, r scheduler.Run) error {
		a.log.Info("hello from a scheduled job", "job", r.Job)
		return nil
	}); err != nil {
		return err
	}
	return a.sched.Define(scheduler.JobDef{Name: "demo-hello", Spec: "every 1m", Handler: "hello", Tags: []string{TagConfig}})
}
