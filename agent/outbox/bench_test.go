package outbox

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// wchar is the bytes this process passed to write system calls
// (/proc/self/io), fsynced pages of the outbox file included.
func wchar(b *testing.B) int64 {
	f, err := os.Open("/proc/self/io")
	if err != nil {
		b.Skip("no /proc/self/io")
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "wchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	b.Skip("no wchar in /proc/self/io")
	return 0
}

// reading is a telemetry document of the size the agent publishes for
// one simulated sensor (about 150 bytes).
func reading(seq uint64) ([]byte, error) {
	return fmt.Appendf(nil, `{"seq":%d,"ts":"2026-12-05T10:00:00.123456789Z","readings":[{"sensor":"sim","metric":"temperature","value":21.53,"unit":"celsius"}]}`, seq), nil
}

// BenchmarkAppend measures appends per second and bytes written per
// reading: offline (records stay, written in batches of perSync, the
// default 1 s interval at 5 Hz), online (each acknowledged as soon as it
// is ready, i.e. written) and with sync_interval 0 (each append and ack
// fsynced).
func BenchmarkAppend(b *testing.B) {
	cases := []struct {
		name    string
		sync    time.Duration
		perSync int
		ack     bool
	}{
		{"sync=1s/offline", time.Second, 5, false},
		{"sync=1s/online", time.Second, 5, true},
		{"sync=0/offline", 0, 1, false},
		{"sync=0/online", 0, 1, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			o, err := Open(filepath.Join(b.TempDir(), "outbox.db"), Options{SyncInterval: c.sync, MaxBytes: 1 << 30})
			if err != nil {
				b.Fatal(err)
			}
			defer o.Close()
			rec := Record{Topic: "drover/pi/telemetry", QoS: 1, Class: ClassTelemetry}
			start := wchar(b)
			b.ResetTimer()
			for i := range b.N {
				if err := o.AppendSeq(rec, reading); err != nil {
					b.Fatal(err)
				}
				if c.sync > 0 && (i+1)%c.perSync == 0 {
					if err := o.Sync(); err != nil {
						b.Fatal(err)
					}
				}
				for c.ack {
					r, ok := o.Front()
					if !ok {
						break
					}
					if err := o.Ack(r.ID); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(wchar(b)-start)/float64(b.N), "written-B/reading")
		})
	}
}
