package desired

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/drover-iot/drover/fleet"
)

// TestRun: what is put in the mailbox is applied and reported by Run,
// which ends with its context and leaves no goroutine behind.
func TestRun(t *testing.T) {
	defer goleak.VerifyNone(t)
	r := newRig(t, nil)
	reports := make(chan fleet.Reported, 16)
	r.c.o.Publish = func(rep fleet.Reported) { reports <- rep }
	box := NewMailbox()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.c.Run(ctx, box) }()
	if rep := <-reports; len(rep.Groups) != 0 || rep.Sync != fleet.SyncInSync {
		t.Fatalf("first report = %+v; want no group, in sync", rep)
	}
	box.Put("gh", payload(t, group("gh", "", 1, 0, logJob("water", "every 5m")), nil))
	if rep := <-reports; rep.Groups["gh"].State != fleet.SyncInSync {
		t.Fatalf("report = %+v; want gh in sync", rep)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not end with its context")
	}
	r.expectJobs(t, "water")
}
