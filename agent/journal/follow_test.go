package journal

import (
	"fmt"
	"log/slog"
	"sync"
	"testing"
)

// recv returns the next record of f, failing if the channel is closed.
func recv(t *testing.T, f *Follower) Record {
	t.Helper()
	r, ok := <-f.C()
	if !ok {
		t.Fatal("follower channel closed early")
	}
	return r
}

func TestFollowLive(t *testing.T) {
	j, _ := newTest(t, Options{Records: 16, RecordBytes: 128})
	j.Append(slog.LevelInfo, "agent", "before", "")
	f := j.Follow(Query{MinLevel: slog.LevelWarn}, 8)
	defer f.Close()
	j.Append(slog.LevelInfo, "agent", "quiet", "")
	j.Append(slog.LevelWarn, "agent", "first", "")
	j.Append(slog.LevelError, "agent", "second", "k=v")
	for _, want := range []string{"first", "second"} {
		if r := recv(t, f); r.Msg != want || r.Dropped != 0 {
			t.Errorf("got %+v, want msg %q", r, want)
		}
	}
}

func TestFollowAfterSeqReplays(t *testing.T) {
	j, _ := newTest(t, Options{Records: 16, RecordBytes: 128})
	for i := 1; i <= 3; i++ {
		j.Append(slog.LevelInfo, "agent", fmt.Sprint(i), "")
	}
	f := j.Follow(Query{AfterSeq: 1}, 8)
	defer f.Close()
	j.Append(slog.LevelInfo, "agent", "4", "")
	for want := uint64(2); want <= 4; want++ {
		if r := recv(t, f); r.Seq != want {
			t.Errorf("got seq %d, want %d", r.Seq, want)
		}
	}
}

// TestFollowDrops drives a follower's drain by hand, so the interleaving
// of writer and follower is fixed.
func TestFollowDrops(t *testing.T) {
	tests := []struct {
		name        string
		appends     int
		wantSeqs    []uint64
		wantDropped []uint64 // Record.Dropped of each delivered record
		wantTotal   uint64
	}{
		{"buffer full", 10, []uint64{1, 2}, []uint64{0, 0}, 8},
		{"ring overtook", 40, []uint64{25, 26}, []uint64{24, 0}, 38},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := newTest(t, Options{Records: 16, RecordBytes: 128})
			f := j.newFollower(Query{}, 2)
			for range tt.appends {
				j.Append(slog.LevelInfo, "agent", "m", "") // must not block
			}
			f.drain()
			for i, want := range tt.wantSeqs {
				if r := <-f.c; r.Seq != want || r.Dropped != tt.wantDropped[i] {
					t.Errorf("record %d: seq %d dropped %d, want seq %d dropped %d", i, r.Seq, r.Dropped, want, tt.wantDropped[i])
				}
			}
			if f.Dropped() != tt.wantTotal || j.Stats().FollowerDropped != tt.wantTotal {
				t.Errorf("Dropped() = %d, Stats = %d, want %d", f.Dropped(), j.Stats().FollowerDropped, tt.wantTotal)
			}
			seq := j.Append(slog.LevelInfo, "agent", "next", "")
			f.drain()
			if r := <-f.c; r.Seq != seq || r.Dropped != tt.wantTotal-tt.wantDropped[0] {
				t.Errorf("next record: seq %d dropped %d, want seq %d dropped %d", r.Seq, r.Dropped, seq, tt.wantTotal-tt.wantDropped[0])
			}
		})
	}
}

func TestFollowerClose(t *testing.T) {
	j, _ := newTest(t, Options{Records: 16, RecordBytes: 128})
	f := j.Follow(Query{}, 4)
	if got := j.Stats().Followers; got != 1 {
		t.Fatalf("Stats.Followers = %d, want 1", got)
	}
	f.Close()
	f.Close()
	if _, ok := <-f.C(); ok {
		t.Error("channel still open after Close")
	}
	if got := j.Stats().Followers; got != 0 {
		t.Errorf("Stats.Followers = %d after Close, want 0", got)
	}
	j.Append(slog.LevelInfo, "agent", "after", "") // no waker left to panic on
}

func TestJournalCloseEndsFollowers(t *testing.T) {
	j, err := New(Options{Records: 16, RecordBytes: 128})
	if err != nil {
		t.Fatal(err)
	}
	f := j.Follow(Query{}, 4)
	j.Append(slog.LevelInfo, "agent", "last", "")
	if err := j.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	var got []string
	for r := range f.C() { // ends only if Close closed the channel
		got = append(got, r.Msg)
	}
	if len(got) != 1 || got[0] != "last" {
		t.Errorf("records after Close = %v, want [last]", got)
	}
	if seq := j.Append(slog.LevelInfo, "agent", "late", ""); seq != 0 {
		t.Errorf("Append after Close = %d, want 0", seq)
	}
	if _, ok := <-j.Follow(Query{}, 1).C(); ok {
		t.Error("Follow after Close delivered a record")
	}
	f.Close()
}

func TestConcurrentWritersAndFollowers(t *testing.T) {
	const writers, each, followers = 8, 500, 4
	j, err := New(Options{Records: 64, RecordBytes: 128})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		delivered, told, dropped uint64
		ordered                  bool
	}
	results := make(chan result, followers)
	for range followers {
		f := j.Follow(Query{}, 16)
		go func() {
			res := result{ordered: true}
			last := uint64(0)
			for r := range f.C() {
				res.ordered = res.ordered && r.Seq > last
				last = r.Seq
				res.delivered++
				res.told += r.Dropped
			}
			res.dropped = f.Dropped()
			results <- res
		}()
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				j.Append(slog.LevelInfo, fmt.Sprint("w", w), "m", fmt.Sprint("i=", i))
				if i%100 == 0 {
					j.Cat(Query{N: 10})
				}
			}
		})
	}
	wg.Wait()
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	for range followers {
		res := <-results
		if !res.ordered || res.delivered+res.dropped != writers*each || res.told > res.dropped {
			t.Errorf("follower: delivered %d + dropped %d != %d (told %d), ordered %v",
				res.delivered, res.dropped, writers*each, res.told, res.ordered)
		}
	}
	if st := j.Stats(); st.Appended != writers*each {
		t.Errorf("Appended = %d, want %d", st.Appended, writers*each)
	}
}
