package top

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeClient is a Client whose Watch delivers evs (or fails with err)
// and then waits for ctx.
type fakeClient struct {
	evs []fleet.Event
	err error
}

func (c *fakeClient) Watch(ctx context.Context, fn func([]fleet.Event)) error {
	if c.err != nil {
		return c.err
	}
	fn(c.evs)
	<-ctx.Done()
	return nil
}

func (c *fakeClient) Follow(ctx context.Context, _ string, _ fleet.FollowArgs, _ func(fleet.LogRecord)) error {
	<-ctx.Done()
	return nil
}

func (c *fakeClient) Request(context.Context, string, string, any) (fleet.Reply, error) {
	return fleet.Reply{}, nil
}

func onceOutput(t *testing.T, c Client, timeout time.Duration) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := Run(context.Background(), Options{Client: c, Out: &out, Once: true, Timeout: timeout,
		Config: Config{ASCII: true, Clock: clockwork.NewFakeClockAt(t0), Selector: "room=lab"}})
	return out.String(), err
}

func TestOnceWaitsForSync(t *testing.T) {
	out, err := onceOutput(t, &fakeClient{evs: fixture()}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != DefaultHeight || row(out, "pi-1") == "" || row(out, "pi-2") == "" || row(out, "pi-10") != "" {
		t.Fatalf("--once printed %d lines, want %d with pi-1 and pi-2 only:\n%s", len(lines), DefaultHeight, out)
	}
}

func TestOnceWithoutSyncPrintsWhatCame(t *testing.T) {
	evs := fixture()
	out, err := onceOutput(t, &fakeClient{evs: evs[:len(evs)-1]}, 50*time.Millisecond)
	if err != nil || row(out, "pi-1") == "" || !strings.Contains(out, "(loading~)") {
		t.Fatalf("--once without the end marker: %v\n%s", err, out)
	}
}

func TestOnceWatchFails(t *testing.T) {
	_, err := onceOutput(t, &fakeClient{err: client.ErrUnreachable}, time.Hour)
	if !errors.Is(err, ErrWatch) || !errors.Is(err, client.ErrUnreachable) {
		t.Fatalf("Run = %v, want ErrWatch wrapping ErrUnreachable", err)
	}
}

func TestRunQuitsOnQ(t *testing.T) {
	var out bytes.Buffer
	err := Run(context.Background(), Options{Client: &fakeClient{evs: fixture()}, In: strings.NewReader("q"), Out: &out,
		Config: Config{ASCII: true}})
	if err != nil {
		t.Fatalf("Run = %v after q, want nil", err)
	}
}

func TestRunEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	in, w := io.Pipe() // no key ever arrives
	defer w.Close()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Client: &fakeClient{evs: fixture()}, In: in, Out: io.Discard, Config: Config{ASCII: true}})
	}()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v after ctx ended, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return within 30 s of ctx ending")
	}
}
