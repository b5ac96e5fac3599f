package fleet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// benchSnapshot is a status of 50 units and 20 jobs, a large reply.
func benchSnapshot() Snapshot {
	s := Snapshot{Device: "pi", Time: time.Unix(1_800_000_000, 0).UTC(), Version: "v1.4.2", Uptime: 3600}
	for i := range 50 {
		s.Tasks = append(s.Tasks, Unit{Name: fmt.Sprint("task-", i), Kind: KindTask, State: UnitRunning,
			Since: s.Time, Args: map[string]any{"pin": i}, Profile: Profile{Starts: 3, RunTime: time.Hour}})
	}
	for i := range 20 {
		s.Jobs = append(s.Jobs, Job{Name: fmt.Sprint("job-", i), Spec: "every 10m", Handler: "h", Runs: 12})
	}
	return s
}

// twoPass is how replies were built before EncodeResult: the result
// encoded into a RawMessage, then the envelope marshalled around it
// (which validates and copies the RawMessage again).
func twoPass(id string, result any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(result)
	ok := true
	r := Reply{V: Version, ID: id, OK: &ok, Result: bytes.TrimSuffix(buf.Bytes(), []byte("\n"))}
	var out bytes.Buffer
	enc = json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(r)
	return out.Bytes()
}

// BenchmarkEncodeReply compares the one-pass EncodeResult with the former
// two-pass encoding, for a status reply.
func BenchmarkEncodeReply(b *testing.B) {
	s := benchSnapshot()
	if a, c := EncodeResult("id", s), twoPass("id", s); !bytes.Equal(a, bytes.TrimSuffix(c, []byte("\n"))) {
		b.Fatalf("encodings differ:\n%s\n%s", a, c)
	}
	b.Run("one-pass", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = EncodeResult("id", s)
		}
	})
	b.Run("two-pass", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = twoPass("id", s)
		}
	})
}
