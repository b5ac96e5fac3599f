package scheduler

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// storeImpls are every Store implementation; the suite runs on each.
var storeImpls = []struct {
	name string
	make func(t *testing.T) Store
}{
	{"memory", func(*testing.T) Store { return &MemoryStore{} }},
	{"file", func(t *testing.T) Store { return NewFileStore(filepath.Join(t.TempDir(), "jobs.json")) }},
}

func sampleState() State {
	return State{Version: StateVersion, Jobs: []JobRecord{
		{
			Def: JobDef{
				Name: "backup", Spec: "every day at 03:00", Handler: "backup",
				Args: map[string]any{"dir": "/data", "keep": 3.0}, Tags: []string{"io"},
				Overlap: OverlapQueue, Timeout: Duration(time.Minute), CatchUp: CatchUpOnce,
			},
			LastNominal: t0, NextNominal: t0.Add(24 * time.Hour), LastRun: t0.Add(time.Second),
			Fired: 7, Runs: 6, Skips: 1, Failures: 2,
		},
		{Def: JobDef{Name: "ping", Spec: "every 10s", Handler: "ping", Paused: true}},
	}}
}

func TestStoreSuite(t *testing.T) {
	for _, impl := range storeImpls {
		t.Run(impl.name, func(t *testing.T) {
			ctx := context.Background()
			s := impl.make(t)
			st, err := s.Load(ctx)
			if err != nil || len(st.Jobs) != 0 || st.Version != StateVersion {
				t.Fatalf("empty Load = %+v, %v", st, err)
			}
			want := sampleState()
			for range 2 {
				if err := s.Save(ctx, want); err != nil {
					t.Fatalf("Save: %v", err)
				}
			}
			got, err := s.Load(ctx)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			wb, _ := encodeState(want)
			gb, _ := encodeState(got)
			if string(wb) != string(gb) {
				t.Errorf("round trip differs:\n got %s\nwant %s", gb, wb)
			}
		})
	}
}

func TestFileStoreCorruption(t *testing.T) {
	good, _ := encodeState(sampleState())
	tests := []struct {
		name       string
		main, prev []byte // nil: file absent
		wantJobs   int
		wantErr    []error
	}{
		{"truncated, good prev", good[:len(good)/2], good, 2, []error{ErrCorrupt, ErrRecovered}},
		{"garbage, good prev", []byte("\x00\xff{"), good, 2, []error{ErrCorrupt, ErrRecovered}},
		{"empty, good prev", []byte{}, good, 2, []error{ErrCorrupt, ErrRecovered}},
		{"future version, good prev", []byte(`{"version":99,"jobs":[]}`), good, 2, []error{ErrVersion, ErrRecovered}},
		{"truncated, no prev", good[:10], nil, 0, []error{ErrCorrupt}},
		{"truncated, bad prev", good[:10], good[:20], 0, []error{ErrCorrupt}},
		{"duplicate names", []byte(`{"version":1,"jobs":[{"def":{"name":"a"}},{"def":{"name":"a"}}]}`), nil, 0, []error{ErrCorrupt}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "jobs.json")
			writeIf(t, path, tt.main)
			writeIf(t, path+".prev", tt.prev)
			st, err := NewFileStore(path).Load(context.Background())
			for _, want := range tt.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want %v", err, want)
				}
			}
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v does not name %s", err, path)
			}
			if len(st.Jobs) != tt.wantJobs {
				t.Errorf("jobs = %d, want %d", len(st.Jobs), tt.wantJobs)
			}
		})
	}
}

func writeIf(t *testing.T, path string, data []byte) {
	t.Helper()
	if data == nil {
		return
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFileStoreKeepsPreviousCopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jobs.json")
	fs := NewFileStore(path)
	first := sampleState()
	second := State{Version: StateVersion}
	for _, st := range []State{first, second} {
		if err := fs.Save(context.Background(), st); err != nil {
			t.Fatal(err)
		}
	}
	prev, err := NewFileStore(path + ".prev").Load(context.Background())
	if err != nil || len(prev.Jobs) != len(first.Jobs) {
		t.Errorf(".prev holds %d jobs (%v), want the first save", len(prev.Jobs), err)
	}
}

func FuzzDecodeState(f *testing.F) {
	good, _ := encodeState(sampleState())
	f.Add(good)
	f.Add([]byte(`{"version":1,"jobs":null}`))
	f.Add([]byte(`{"version":1,"jobs":[{"def":{"name":"x","timeout":"1s"}}]}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := decodeState(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		b, err := encodeState(st)
		if err != nil {
			t.Fatalf("encode of decoded state: %v", err)
		}
		if _, err := decodeState(b); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
	})
}
