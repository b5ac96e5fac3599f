package outbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

func openT(t *testing.T, path string, opts Options) *Outbox {
	t.Helper()
	o, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func tele(i int) Record {
	return Record{Topic: "drover/pi/telemetry", Payload: fmt.Appendf(nil, "reading-%03d", i), QoS: 1, Class: ClassTelemetry}
}

// drain acknowledges every record and returns their payloads in order.
func drain(t *testing.T, o *Outbox) []string {
	t.Helper()
	var out []string
	for {
		r, ok := o.Front()
		if !ok {
			return out
		}
		out = append(out, string(r.Payload))
		if err := o.Ack(r.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReplayAfterReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	o := openT(t, path, Options{})
	for i := range 5 {
		if err := o.Append(tele(i)); err != nil {
			t.Fatal(err)
		}
	}
	first, _ := o.Front()
	if err := o.Ack(first.ID); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	o = openT(t, path, Options{})
	defer o.Close()
	got := strings.Join(drain(t, o), ",")
	if want := "reading-001,reading-002,reading-003,reading-004"; got != want {
		t.Fatalf("replayed %s, want %s", got, want)
	}
}

func TestSequencePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	build := func(seq uint64) ([]byte, error) { return fmt.Appendf(nil, "%d", seq), nil }
	o := openT(t, path, Options{})
	for range 3 {
		if err := o.AppendSeq(tele(0), build); err != nil {
			t.Fatal(err)
		}
	}
	drain(t, o) // acknowledged records are gone, their numbers are not reused
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	o = openT(t, path, Options{})
	defer o.Close()
	if err := o.AppendSeq(tele(0), build); err != nil {
		t.Fatal(err)
	}
	if got := drain(t, o); len(got) != 1 || got[0] != "4" {
		t.Fatalf("after reopen got %v, want [4]", got)
	}
}

func TestBatchedSync(t *testing.T) {
	clock := clockwork.NewFakeClock()
	o := openT(t, filepath.Join(t.TempDir(), "outbox.db"), Options{SyncInterval: time.Second, Clock: clock})
	defer o.Close()
	base := o.Stats().Writes
	for i := range 10 {
		if err := o.Append(tele(i)); err != nil {
			t.Fatal(err)
		}
	}
	if w := o.Stats().Writes; w != base {
		t.Fatalf("appends wrote %d transactions before the interval, want 0", w-base)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- o.Run(ctx) }()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for o.Stats().Writes != base+1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if w := o.Stats().Writes; w != base+1 {
		t.Fatalf("one interval wrote %d transactions, want 1", w-base)
	}
}

func TestAckedBeforeSyncNeverWritten(t *testing.T) {
	o := openT(t, filepath.Join(t.TempDir(), "outbox.db"), Options{SyncInterval: time.Hour})
	defer o.Close()
	base := o.Stats().Writes
	if err := o.Append(Record{Topic: "drover/pi/reply/me", Payload: []byte("pong"), QoS: 1, Class: ClassReply}); err != nil {
		t.Fatal(err)
	}
	drain(t, o)
	if err := o.Sync(); err != nil {
		t.Fatal(err)
	}
	if w := o.Stats().Writes; w != base {
		t.Fatalf("a record acknowledged within the interval caused %d writes", w-base)
	}
}

func TestMaxBytesDropsOldestTelemetryFirst(t *testing.T) {
	reply := Record{Topic: "drover/pi/reply/me", Payload: []byte("reply"), QoS: 1, Class: ClassReply}
	limit := 3 * tele(0).Size()
	o := openT(t, filepath.Join(t.TempDir(), "outbox.db"), Options{MaxBytes: limit})
	defer o.Close()
	for _, r := range []Record{reply, tele(1), tele(2), tele(3)} {
		if err := o.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	got := strings.Join(drain(t, o), ",")
	if want := "reply,reading-002,reading-003"; got != want {
		t.Fatalf("kept %s, want %s", got, want)
	}
	if d := o.Stats().Dropped[ReasonBytes]; d != 1 {
		t.Fatalf("dropped[max_bytes] = %d, want 1", d)
	}
	big := Record{Topic: "t", Payload: make([]byte, limit), Class: ClassTelemetry}
	if err := o.Append(big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversized append: got %v, want ErrTooLarge", err)
	}
}

func TestMaxAgeAndExpiry(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "outbox.db")
	o := openT(t, path, Options{MaxAge: time.Hour, Clock: clock})
	if err := o.Append(tele(1)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(30 * time.Minute)
	expiring := Record{Topic: "drover/pi/reply/me", Payload: []byte("late"), Class: ClassReply, Expires: clock.Now().Add(time.Minute)}
	for _, r := range []Record{tele(2), expiring} {
		if err := o.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	clock.Advance(31 * time.Minute) // reading-001 is 61 min old, the reply expired
	o = openT(t, path, Options{MaxAge: time.Hour, Clock: clock})
	defer o.Close()
	if got := strings.Join(drain(t, o), ","); got != "reading-002" {
		t.Fatalf("kept %s, want reading-002", got)
	}
	if s := o.Stats(); s.Dropped[ReasonAge] != 1 || s.Dropped[ReasonExpired] != 1 {
		t.Fatalf("dropped %v, want one max_age and one expired", s.Dropped)
	}
}

func TestLatestKeepsNewestPerTopic(t *testing.T) {
	o := openT(t, filepath.Join(t.TempDir(), "outbox.db"), Options{})
	defer o.Close()
	for _, p := range []string{"s1", "s2"} {
		if err := o.Append(Record{Topic: "drover/pi/status", Payload: []byte(p), Retained: true, QoS: 1, Class: ClassLatest}); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(drain(t, o), ","); got != "s2" {
		t.Fatalf("kept %s, want s2", got)
	}
}

func TestCorruptFile(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, path string)
		want   string
	}{
		{"garbage appended", appendGarbage, "reading-000,reading-001,reading-002"},
		{"one record damaged", damageRecord("reading-001"), "reading-000,reading-002"},
		{"truncated", truncate, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "outbox.db")
			o := openT(t, path, Options{})
			for i := range 3 {
				if err := o.Append(tele(i)); err != nil {
					t.Fatal(err)
				}
			}
			if err := o.Close(); err != nil {
				t.Fatal(err)
			}
			tc.damage(t, path)
			var logs bytes.Buffer
			o = openT(t, path, Options{Logger: slogTo(&logs)})
			defer o.Close()
			if got := strings.Join(drain(t, o), ","); got != tc.want {
				t.Fatalf("kept %q, want %q", got, tc.want)
			}
			if tc.want != "reading-000,reading-001,reading-002" && !strings.Contains(logs.String(), "corrupt") &&
				!strings.Contains(logs.String(), "unreadable") {
				t.Fatalf("nothing logged about the damage: %s", logs.String())
			}
			if err := o.Append(tele(9)); err != nil {
				t.Fatalf("append after recovery: %v", err)
			}
		})
	}
}

func appendGarbage(t *testing.T, path string) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(bytes.Repeat([]byte{0xde, 0xad}, 3000)); err != nil {
		t.Fatal(err)
	}
}

func damageRecord(payload string) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// bbolt copies pages on write: damage every copy of the record.
		n := 0
		for i := bytes.Index(b, []byte(payload)); i >= 0; i = bytes.Index(b, []byte(payload)) {
			b[i] ^= 0x20
			n++
		}
		if n == 0 {
			t.Fatalf("%s not found in the file", payload)
		}
		if err := os.WriteFile(path, b, 0o640); err != nil {
			t.Fatal(err)
		}
	}
}

func truncate(t *testing.T, path string) {
	if err := os.Truncate(path, 100); err != nil {
		t.Fatal(err)
	}
}

func TestAttachKeepsDiskRecordsFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	o := openT(t, path, Options{})
	if err := o.Append(tele(1)); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	o = New(Options{})
	if err := o.Append(tele(2)); err != nil {
		t.Fatal(err)
	}
	if err := o.Attach(path); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	o = openT(t, path, Options{})
	defer o.Close()
	if got := strings.Join(drain(t, o), ","); got != "reading-001,reading-002" {
		t.Fatalf("got %s, want reading-001,reading-002", got)
	}
}

func TestTelemetryReadyOnceWritten(t *testing.T) {
	o := openT(t, filepath.Join(t.TempDir(), "outbox.db"), Options{SyncInterval: time.Hour})
	defer o.Close()
	notified := make(chan struct{}, 1)
	o.SetNotify(func() { notified <- struct{}{} })
	if err := o.AppendSeq(tele(1), func(seq uint64) ([]byte, error) { return fmt.Appendf(nil, "%d", seq), nil }); err != nil {
		t.Fatal(err)
	}
	if r, ok := o.Front(); ok {
		t.Fatalf("telemetry %q ready before its sequence number was written", r.Payload)
	}
	if err := o.Append(Record{Topic: "drover/pi/reply/me", Payload: []byte("pong"), QoS: 1, Class: ClassReply}); err != nil {
		t.Fatal(err)
	}
	if r, _ := o.Front(); string(r.Payload) != "pong" {
		t.Fatalf("front = %q, want the reply, which need not wait", r.Payload)
	}
	if err := o.Sync(); err != nil {
		t.Fatal(err)
	}
	<-notified
	if got := strings.Join(drain(t, o), ","); got != "1,pong" {
		t.Fatalf("after the write got %s, want 1,pong", got)
	}
}
