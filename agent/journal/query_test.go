package journal

import (
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// fill appends a fixed mix of records: seqs 1..6.
func fill(j *Journal) {
	j.Append(slog.LevelDebug, "agent", "starting", "pid=1")
	j.Append(slog.LevelInfo, "svc:modbus", "connected", "port=/dev/ttyUSB0")
	j.Append(slog.LevelWarn, "svc:modbus", "slow reply", "ms=900")
	j.Append(slog.LevelInfo, "task:blink", "on", "pin=17")
	j.Append(slog.LevelError, "svc:mqtt", "lost broker", "err=timeout")
	j.Append(slog.LevelInfo, "task:blink", "off", "pin=17")
}

func seqs(rs []Record) []uint64 {
	out := []uint64{}
	for _, r := range rs {
		out = append(out, r.Seq)
	}
	return out
}

func TestCat(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		want []uint64
	}{
		{"zero query hides debug", Query{}, []uint64{2, 3, 4, 5, 6}},
		{"all levels", Query{MinLevel: LevelAll}, []uint64{1, 2, 3, 4, 5, 6}},
		{"last 2", Query{N: 2}, []uint64{5, 6}},
		{"warn and up", Query{MinLevel: slog.LevelWarn}, []uint64{3, 5}},
		{"exact source", Query{Source: "task:blink"}, []uint64{4, 6}},
		{"source glob", Query{Source: "svc:*"}, []uint64{2, 3, 5}},
		{"source glob middle", Query{Source: "svc:*bus"}, []uint64{2, 3}},
		{"no such source", Query{Source: "task"}, []uint64{}},
		{"grep msg", Query{Grep: regexp.MustCompile(`^(on|off)\b`)}, []uint64{4, 6}},
		{"grep attrs", Query{Grep: regexp.MustCompile(`ms=\d+`), MinLevel: LevelAll}, []uint64{3}},
		{"grep spans msg and attrs", Query{Grep: regexp.MustCompile(`broker err=`)}, []uint64{5}},
		{"grep ignores level text", Query{Grep: regexp.MustCompile(`ERROR`)}, []uint64{}},
		{"after seq", Query{AfterSeq: 4}, []uint64{5, 6}},
		{"combined", Query{N: 1, Source: "*", MinLevel: slog.LevelInfo, Grep: regexp.MustCompile("pin")}, []uint64{6}},
	}
	j, _ := newTest(t, Options{Records: 16, RecordBytes: 128})
	fill(j)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := seqs(j.Cat(tt.q)); !slices.Equal(got, tt.want) {
				t.Errorf("Cat = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCatRecordFields(t *testing.T) {
	j, clock := newTest(t, Options{Records: 16, RecordBytes: 128})
	clock.Advance(1500 * 1e6)
	j.Append(slog.LevelWarn, "svc:modbus", "slow reply", "ms=900")
	got := j.Cat(Query{})
	want := Record{Seq: 1, Time: t0.Add(1500 * 1e6), Level: slog.LevelWarn, Source: "svc:modbus", Msg: "slow reply", Attrs: "ms=900"}
	if len(got) != 1 || got[0] != want {
		t.Errorf("Cat = %+v, want [%+v]", got, want)
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"agent", "agent", true},
		{"agent", "agents", false},
		{"*", "", true},
		{"*", "anything", true},
		{"svc:*", "svc:modbus", true},
		{"svc:*", "task:modbus", false},
		{"*blink", "task:blink", true},
		{"*blink", "task:blinker", false},
		{"t*:*k", "task:blink", true},
		{"a*a", "a", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "acb", false},
		{"**", "x", true},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, []byte(tt.name)); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

// FuzzGlobMatch checks globMatch, which sees Query.Source from the wire,
// against a regexp built from the same pattern.
func FuzzGlobMatch(f *testing.F) {
	f.Add("svc:*", "svc:modbus")
	f.Add("a*b*c", "aXbYc")
	f.Add("*x*", "")
	f.Fuzz(func(t *testing.T, pattern, name string) {
		if !utf8.ValidString(pattern) || !utf8.ValidString(name) {
			return // the regexp oracle needs UTF-8; globMatch works on bytes
		}
		parts := strings.Split(pattern, "*")
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		re := regexp.MustCompile(`(?s)\A` + strings.Join(parts, ".*") + `\z`)
		if got, want := globMatch(pattern, []byte(name)), re.MatchString(name); got != want {
			t.Fatalf("globMatch(%q, %q) = %v, regexp says %v", pattern, name, got, want)
		}
	})
}
