package agent

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/agent/supervise"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/broker"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/scheduler"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const waitFor = 20 * time.Second

func startBroker(t *testing.T) string {
	t.Helper()
	b := broker.New(broker.Options{Listen: "127.0.0.1:0"})
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b.URL()
}

func testConfig(t *testing.T, url, dataDir string) *config.Config {
	t.Helper()
	yml := "id: dev1\ndata_dir: " + dataDir + "\nbroker:\n  url: " + url + "\nmetrics:\n  listen: 127.0.0.1:0\n"
	cfg, err := config.Parse([]byte(yml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startAgent runs an agent with a task and a handler; stop ends it and
// returns Run's error.
func startAgent(t *testing.T, cfg *config.Config) (stop func() error) {
	t.Helper()
	a, err := New(cfg, WithStopTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.RegisterTask("blink", func(ctx context.Context, _ *supervise.Ctl) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}); err != nil {
		t.Fatal(err)
	}
	if err := a.RegisterHandler("backup", func(context.Context, scheduler.Run) error { return nil }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	waitOnline(t, a)
	return func() error { cancel(); return <-done }
}

// waitOnline waits until the agent is subscribed to its command topic.
func waitOnline(t *testing.T, a *Agent) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := a.link.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
}

func dial(t *testing.T, url string) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	c, err := client.Dial(ctx, client.Options{Brokers: []string{url}, ClientID: "op-test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func request(t *testing.T, c *client.Client, cmd string, args any) fleet.Reply {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	r, err := c.Request(ctx, "dev1", cmd, args)
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return r
}

func TestAgentServesAndPersistsSchedules(t *testing.T) {
	url := startBroker(t)
	cfg := testConfig(t, url, t.TempDir())
	c := dial(t, url)

	stop := startAgent(t, cfg)
	request(t, c, "ping", nil)
	if r := request(t, c, "task.list", nil); !strings.Contains(string(r.Result), `"blink"`) {
		t.Errorf("task.list: %s", r.Result)
	}
	request(t, c, "schedule.add", fleet.ScheduleAddArgs{Name: "nightly", Spec: "every day at 03:00", Job: "backup"})
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}

	stop = startAgent(t, cfg)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	r := request(t, c, "schedule.list", nil)
	if !strings.Contains(string(r.Result), `"nightly"`) {
		t.Errorf("schedule lost across restart: %s", r.Result)
	}
}

func TestAgentRestartCommand(t *testing.T) {
	url := startBroker(t)
	cfg := testConfig(t, url, t.TempDir())
	c := dial(t, url)
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(context.Background()) }()
	waitOnline(t, a)
	request(t, c, "agent.restart", nil)
	select {
	case err := <-done:
		if !errors.Is(err, ErrRestart) {
			t.Errorf("Run: %v, want ErrRestart", err)
		}
	case <-time.After(waitFor):
		t.Fatal("agent did not stop for restart")
	}
}

func TestNewRefusesInvalidID(t *testing.T) {
	cfg := testConfig(t, "tcp://127.0.0.1:1", t.TempDir())
	cfg.ID = "Bad/Id"
	if _, err := New(cfg); !errors.Is(err, ErrConfig) {
		t.Errorf("New: %v, want ErrConfig", err)
	}
}
