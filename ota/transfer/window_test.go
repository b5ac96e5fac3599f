package transfer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/bits"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/transfer"
)

// slowUnsubscribe holds every Unsubscribe until release is closed, like a
// broker slow to acknowledge.
type slowUnsubscribe struct {
	*otatest.Broker
	release chan struct{}
}

func (s slowUnsubscribe) Unsubscribe(topics ...string) error {
	<-s.release
	return s.Broker.Unsubscribe(topics...)
}

// TestFetchDoesNotWaitForUnsubscribe: chunks of the window are verified
// and written while the broker has not acknowledged an unsubscribe yet.
func TestFetchDoesNotWaitForUnsubscribe(t *testing.T) {
	s := publish(t, 10*1024)
	sub := slowUnsubscribe{Broker: s.broker, release: make(chan struct{})}
	progress := make(chan int, 16)
	f := transfer.NewFetcher(sub, transfer.FetchOptions{Window: 4, Clock: clockwork.NewFakeClock(),
		OnProgress: func(p transfer.Progress) { progress <- p.Done }})
	done := make(chan error, 1)
	go func() {
		done <- f.Fetch(context.Background(), topics, transfer.KindFull, s.m.Blob, filepath.Join(s.dir, "staged"))
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for n := 0; n < 4; {
		select {
		case n = <-progress:
		case <-ctx.Done():
			t.Fatalf("only %d chunks written while an unsubscribe was pending, want the window (4)", n)
		}
	}
	close(sub.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestFetchCoalescesSaves: progress is saved once per SaveEvery, not per
// chunk or per window.
func TestFetchCoalescesSaves(t *testing.T) {
	s := publish(t, 10*1024)
	staging := filepath.Join(s.dir, "staged")
	clock := clockwork.NewFakeClock()
	saved := map[int]int{} // chunks done -> chunks in the progress file
	f := transfer.NewFetcher(s.broker, transfer.FetchOptions{Window: 2, Clock: clock, SaveEvery: time.Second,
		OnProgress: func(p transfer.Progress) {
			saved[p.Done] = savedChunks(t, transfer.ProgressPath(staging))
			if p.Done == 5 {
				clock.Advance(time.Second)
			}
		}})
	if err := f.Fetch(context.Background(), topics, transfer.KindFull, s.m.Blob, staging); err != nil {
		t.Fatal(err)
	}
	want := map[int]int{1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 6, 7: 6, 8: 6, 9: 6, 10: 6}
	for done, n := range want {
		if saved[done] != n {
			t.Errorf("after chunk %d the progress file lists %d chunks, want %d (all: %v)", done, saved[done], n, saved)
		}
	}
	if n := savedChunks(t, transfer.ProgressPath(staging)); n != 10 {
		t.Errorf("final progress file lists %d chunks, want 10", n)
	}
}

func savedChunks(t *testing.T, path string) int {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return 0
	}
	var p struct{ Done []byte }
	if err != nil || json.Unmarshal(b, &p) != nil {
		t.Fatalf("progress file: %v", err)
	}
	n := 0
	for _, x := range p.Done {
		n += bits.OnesCount8(x)
	}
	return n
}

// TestFetchRecoversUnsavedChunks: chunks in the staging file that no saved
// progress lists (written after the last save) are found by their sha256
// and not fetched again; a corrupted one is.
func TestFetchRecoversUnsavedChunks(t *testing.T) {
	s := publish(t, 10*1024)
	staging := filepath.Join(s.dir, "staged")
	partial := bytes.Clone(s.binary[:6*1024])
	partial[2*1024+5] ^= 0xff // chunk 2 damaged
	if err := os.WriteFile(staging, partial, 0o600); err != nil {
		t.Fatal(err)
	}
	f := transfer.NewFetcher(s.broker, transfer.FetchOptions{Clock: clockwork.NewFakeClock()})
	if err := f.Fetch(context.Background(), topics, transfer.KindFull, s.m.Blob, staging); err != nil {
		t.Fatal(err)
	}
	if s.broker.Subscribes != 5 {
		t.Fatalf("fetched %d chunks, want 5 (chunk 2 and chunks 6-9)", s.broker.Subscribes)
	}
	got, _ := os.ReadFile(staging)
	if !bytes.Equal(got, s.binary) {
		t.Fatal("fetched file differs")
	}
}
