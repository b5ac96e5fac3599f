package journal

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLayout(t *testing.T) {
	long := strings.Repeat("x", 200)
	tests := []struct {
		name, src, msg, attrs string
		wantSrc, wantBody     string
		trunc                 bool
	}{
		{"fits", "agent", "hello", "k=1", "agent", "hello k=1", false},
		{"no attrs", "agent", "hello", "", "agent", "hello", false},
		{"empty msg", "agent", "", "k=1", "agent", " k=1", false},
		{"attrs cut", "a", "m", long, "a", "m " + long[:124-2-len(TruncMarker)] + TruncMarker, true},
		{"msg cut", "a", long, "k=1", "a", long[:124-len(TruncMarker)] + TruncMarker, true},
		{"source cut", strings.Repeat("s", 70), "m", "", strings.Repeat("s", MaxSourceLen), "m", true},
		{"rune kept whole", "a", strings.Repeat("é", 100), "", "a", strings.Repeat("é", 62) + TruncMarker, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := make([]byte, 128)
			if tt.name == "attrs cut" || tt.name == "msg cut" {
				dst = dst[:125]
			}
			srcLen, msgLen, n, trunc := layout(dst, tt.src, tt.msg, tt.attrs)
			v := view{slot: slot{srcLen: uint16(srcLen), msgLen: uint16(msgLen), n: uint16(n)}, buf: dst}
			if got := string(v.source()); got != tt.wantSrc {
				t.Errorf("source = %q, want %q", got, tt.wantSrc)
			}
			if got := string(v.body()); got != tt.wantBody {
				t.Errorf("body = %q, want %q", got, tt.wantBody)
			}
			if trunc != tt.trunc {
				t.Errorf("trunc = %v, want %v", trunc, tt.trunc)
			}
			if !utf8.Valid(v.body()) {
				t.Errorf("body is not valid UTF-8: %q", v.body())
			}
		})
	}
}

func TestRingWrapOrder(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 33, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			j, _ := newTest(t, Options{Records: 16, RecordBytes: 128})
			for i := 1; i <= n; i++ {
				if seq := j.Append(slog.LevelInfo, "agent", fmt.Sprint("m", i), ""); seq != uint64(i) {
					t.Fatalf("Append %d returned seq %d", i, seq)
				}
			}
			got := j.Cat(Query{})
			if want := min(n, 16); len(got) != want {
				t.Fatalf("Cat returned %d records, want %d", len(got), want)
			}
			for k, r := range got {
				want := uint64(n - len(got) + k + 1)
				if r.Seq != want || r.Msg != fmt.Sprint("m", want) {
					t.Errorf("record %d = seq %d %q, want seq %d", k, r.Seq, r.Msg, want)
				}
			}
			if st := j.Stats(); st.Len != len(got) || st.Cap != 16 || st.Appended != uint64(n) {
				t.Errorf("Stats = %+v", st)
			}
		})
	}
}

func TestTruncatedRecord(t *testing.T) {
	j, _ := newTest(t, Options{Records: 16, RecordBytes: 128})
	j.Append(slog.LevelWarn, "task:blink", strings.Repeat("y", 300), "k=v")
	r := j.Cat(Query{})[0]
	if !r.Truncated || !strings.HasSuffix(r.Msg, TruncMarker) || r.Attrs != "" {
		t.Errorf("record = %+v, want a cut message ending in %q", r, TruncMarker)
	}
	if len(r.Source)+len(r.Msg) > 128 {
		t.Errorf("record text is %d bytes, over the slot size", len(r.Source)+len(r.Msg))
	}
	if got := j.Stats().Truncated; got != 1 {
		t.Errorf("Stats.Truncated = %d, want 1", got)
	}
}

func TestOptionsValidation(t *testing.T) {
	for _, o := range []Options{{Records: 3}, {RecordBytes: 10}, {RecordBytes: MaxRecordBytes + 1}, {Disk: &DiskOptions{}}} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) succeeded, want an error", o)
		}
	}
}
