package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"

	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/transfer"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	topics = transfer.Topics{Artifact: "agent"}
	now    = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
)

type setup struct {
	broker *otatest.Broker
	m      manifest.Manifest
	binary []byte
	dir    string
}

func publish(t *testing.T, size int) setup {
	t.Helper()
	dir := t.TempDir()
	bin := otatest.RandomBytes(size, 1)
	path := otatest.WriteFile(t, dir, "agent-new", bin)
	kp, key := otatest.Key(t)
	b := otatest.NewBroker()
	m, err := transfer.Publish(context.Background(), b, transfer.PublishOptions{
		Topics: topics, BinaryPath: path, Version: "1.1.0", Build: 11, ChunkSize: 1024, Key: &key, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	env, ok := b.Retained(topics.Manifest())
	if !ok {
		t.Fatal("no retained manifest")
	}
	if _, err := manifest.Verify(env, otatest.Keyring(t, kp), now); err != nil {
		t.Fatalf("published manifest does not verify: %v", err)
	}
	return setup{broker: b, m: m, binary: bin, dir: dir}
}

func TestPublishFetch(t *testing.T) {
	for _, size := range []int{1, 1024, 10*1024 + 17} {
		s := publish(t, size)
		if s.broker.Count() != len(s.m.Chunks)+1 {
			t.Fatalf("size %d: %d retained messages, want %d chunks + manifest", size, s.broker.Count(), len(s.m.Chunks))
		}
		staging := filepath.Join(s.dir, "staged")
		f := transfer.NewFetcher(s.broker, transfer.FetchOptions{Window: 3, Clock: clockwork.NewFakeClock()})
		if err := f.Fetch(context.Background(), topics, transfer.KindFull, s.m.Blob, staging); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(staging)
		if !bytes.Equal(got, s.binary) {
			t.Fatalf("size %d: fetched file differs", size)
		}
		if s.broker.MaxSubs > 3 {
			t.Fatalf("window 3 but %d subscriptions at once", s.broker.MaxSubs)
		}
	}
}

func TestFetchRefusesTamperedChunk(t *testing.T) {
	s := publish(t, 5000)
	s.broker.SetRetained(topics.Chunk(transfer.KindFull, 2), bytes.Repeat([]byte{'x'}, 1024))
	staging := filepath.Join(s.dir, "staged")
	f := transfer.NewFetcher(s.broker, transfer.FetchOptions{Clock: clockwork.NewFakeClock()})
	err := f.Fetch(context.Background(), topics, transfer.KindFull, s.m.Blob, staging)
	if !errors.Is(err, transfer.ErrChunkHash) {
		t.Fatalf("err = %v, want ErrChunkHash", err)
	}
	got, _ := os.ReadFile(staging)
	if bytes.Contains(got, bytes.Repeat([]byte{'x'}, 1024)) {
		t.Fatal("tampered chunk was written")
	}
}

// TestFetchResumes: a fetch stopped half way (restart) only fetches the
// missing chunks the next time.
func TestFetchResumes(t *testing.T) {
	s := publish(t, 20*1024)
	staging := filepath.Join(s.dir, "staged")
	ctx, cancel := context.WithCancel(context.Background())
	f := transfer.NewFetcher(s.broker, transfer.FetchOptions{Window: 2, Clock: clockwork.NewFakeClock(),
		OnProgress: func(p transfer.Progress) {
			if p.Done == 10 {
				cancel()
			}
		}})
	if err := f.Fetch(ctx, topics, transfer.KindFull, s.m.Blob, staging); !errors.Is(err, context.Canceled) {
		t.Fatalf("first fetch: %v", err)
	}
	before := s.broker.Subscribes
	var first transfer.Progress
	f2 := transfer.NewFetcher(s.broker, transfer.FetchOptions{Window: 2, Clock: clockwork.NewFakeClock(),
		OnProgress: func(p transfer.Progress) {
			if first.Total == 0 {
				first = p
			}
		}})
	if err := f2.Fetch(context.Background(), topics, transfer.KindFull, s.m.Blob, staging); err != nil {
		t.Fatal(err)
	}
	kept := first.Done - 1 // chunks persisted by the first fetch
	if kept < 10 {
		t.Fatalf("first progress after resume = %+v, want more than 10 done", first)
	}
	if n := s.broker.Subscribes - before; n != first.Total-kept {
		t.Fatalf("resumed fetch subscribed %d chunks, want the %d missing", n, first.Total-kept)
	}
	got, _ := os.ReadFile(staging)
	if !bytes.Equal(got, s.binary) {
		t.Fatal("resumed file differs")
	}
}

// TestFetchSurvivesOutage: with the broker down the fetch waits, and
// subscribes again after the stall timeout once it is back.
func TestFetchSurvivesOutage(t *testing.T) {
	s := publish(t, 4096)
	s.broker.SetOffline(true)
	clock := clockwork.NewFakeClock()
	var stalls int
	f := transfer.NewFetcher(s.broker, transfer.FetchOptions{Clock: clock, Stall: time.Minute,
		OnProgress: func(p transfer.Progress) { stalls = p.Stalls }})
	done := make(chan error, 1)
	go func() {
		done <- f.Fetch(context.Background(), topics, transfer.KindFull, s.m.Blob, filepath.Join(s.dir, "staged"))
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	s.broker.SetOffline(false)
	clock.Advance(time.Minute)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if stalls != 1 {
		t.Fatalf("stalls = %d, want 1", stalls)
	}
}

func TestGC(t *testing.T) {
	s := publish(t, 3000)
	if err := transfer.GC(context.Background(), s.broker, topics, s.m, true); err != nil {
		t.Fatal(err)
	}
	if n := s.broker.Count(); n != 0 {
		t.Fatalf("%d retained messages left after GC", n)
	}
}

func TestParseChunk(t *testing.T) {
	tests := []struct {
		topic string
		kind  transfer.Kind
		want  int
		ok    bool
	}{
		{"drover/ota/agent/7", transfer.KindFull, 7, true},
		{"drover/ota/agent/delta/3", transfer.KindDelta, 3, true},
		{"drover/ota/agent/delta/3", transfer.KindFull, 0, false},
		{"drover/ota/agent/07", transfer.KindFull, 0, false},
		{"drover/ota/agent/-1", transfer.KindFull, 0, false},
		{"drover/ota/agent/manifest", transfer.KindFull, 0, false},
	}
	for _, tt := range tests {
		n, err := topics.ParseChunk(tt.kind, tt.topic)
		if (err == nil) != tt.ok || n != tt.want {
			t.Errorf("ParseChunk(%q) = %d, %v", tt.topic, n, err)
		}
	}
}

func FuzzParseChunk(f *testing.F) {
	f.Add("drover/ota/agent/12")
	f.Add("drover/ota/agent/delta/0")
	f.Fuzz(func(t *testing.T, topic string) {
		for _, kind := range []transfer.Kind{transfer.KindFull, transfer.KindDelta} {
			n, err := topics.ParseChunk(kind, topic)
			if err != nil {
				continue
			}
			if n < 0 || topics.Chunk(kind, n) != topic {
				t.Fatalf("ParseChunk(%q) = %d, which names %q", topic, n, topics.Chunk(kind, n))
			}
		}
	})
}
