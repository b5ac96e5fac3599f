package journal

import (
	"errors"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestHandler(t *testing.T) {
	type point struct{ X, Y int }
	tests := []struct {
		name      string
		log       func(l *slog.Logger)
		src, msg  string
		wantAttrs string
	}{
		{"plain", func(l *slog.Logger) { l.Info("hello") }, "agent", "hello", ""},
		{"kinds", func(l *slog.Logger) {
			l.Info("m", "s", "x", "i", -3, "u", uint64(7), "f", 1.5, "b", true,
				"d", 1500*time.Millisecond, "t", t0)
		}, "agent", "m", "s=x i=-3 u=7 f=1.5 b=true d=1.5s t=2026-11-21T10:00:00.123Z"},
		{"quoting", func(l *slog.Logger) { l.Info("m", "a", "x y", "b", "", "c", `q"`, "d", "k=v") },
			"agent", "m", `a="x y" b="" c="q\"" d="k=v"`},
		{"any values", func(l *slog.Logger) {
			l.Info("m", "err", errors.New("no route"), "ip", netip.MustParseAddr("10.0.0.1"), "p", point{1, 2}, "raw", []byte("ab"))
		}, "agent", "m", `err="no route" ip=10.0.0.1 p="{X:1 Y:2}" raw="ab"`},
		{"component sets source", func(l *slog.Logger) { l.With("component", "mqtt").Info("up", "k", 1) }, "mqtt", "up", "k=1"},
		{"source attr on call", func(l *slog.Logger) { l.Info("line", "source", "svc:modbus") }, "svc:modbus", "line", ""},
		{"non-string source kept", func(l *slog.Logger) { l.Info("m", "source", 3) }, "agent", "m", "source=3"},
		{"with attrs", func(l *slog.Logger) { l.With("a", 1).With("b", 2).Info("m", "c", 3) }, "agent", "m", "a=1 b=2 c=3"},
		{"groups", func(l *slog.Logger) {
			l.With("a", 1).WithGroup("g").With("b", 2).WithGroup("h").Info("m", "c", 3, slog.Group("i", "d", 4))
		}, "agent", "m", "a=1 g.b=2 g.h.c=3 g.h.i.d=4"},
		{"group keeps component an attr", func(l *slog.Logger) { l.WithGroup("g").Info("m", "component", "x") },
			"agent", "m", "g.component=x"},
		{"empty group and attr ignored", func(l *slog.Logger) { l.WithGroup("").Info("m", slog.Group("e"), slog.Attr{}) },
			"agent", "m", ""},
		{"inline group", func(l *slog.Logger) { l.Info("m", slog.Group("", "k", "v")) }, "agent", "m", "k=v"},
		{"log valuer", func(l *slog.Logger) { l.Info("m", "secret", redacted{}) }, "agent", "m", "secret=***"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := newTest(t, Options{Records: 16, RecordBytes: 256})
			tt.log(slog.New(j.Handler(nil)))
			got := j.Cat(Query{})
			if len(got) != 1 {
				t.Fatalf("Cat = %v, want one record", got)
			}
			r := got[0]
			if r.Source != tt.src || r.Msg != tt.msg || r.Attrs != tt.wantAttrs {
				t.Errorf("got source %q msg %q attrs %q\nwant source %q msg %q attrs %q",
					r.Source, r.Msg, r.Attrs, tt.src, tt.msg, tt.wantAttrs)
			}
		})
	}
}

type redacted struct{}

func (redacted) LogValue() slog.Value { return slog.StringValue("***") }

func TestHandlerLevelAndTime(t *testing.T) {
	j, clock := newTest(t, Options{Records: 16, RecordBytes: 128})
	lv := new(slog.LevelVar)
	lv.Set(slog.LevelWarn)
	h := j.Handler(&HandlerOptions{Level: lv, Source: "task:blink"})
	l := slog.New(h)
	l.Info("hidden")
	l.Warn("shown")
	lv.Set(slog.LevelDebug)
	l.Debug("now shown")
	var r slog.Record // zero time: the journal's clock stamps it
	r.Level, r.Message = slog.LevelInfo, "raw"
	if err := h.Handle(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	got := j.Cat(Query{MinLevel: LevelAll})
	if len(got) != 3 || got[0].Msg != "shown" || got[1].Msg != "now shown" || got[0].Source != "task:blink" {
		t.Fatalf("Cat = %v", got)
	}
	if !got[2].Time.Equal(clock.Now()) {
		t.Errorf("zero-time record stamped %v, want the clock's %v", got[2].Time, clock.Now())
	}
}

func TestHandlerLongAttrsTruncated(t *testing.T) {
	j, _ := newTest(t, Options{Records: 16, RecordBytes: 128})
	l := slog.New(j.Handler(nil))
	args := []any{}
	for i := range 100 {
		args = append(args, "key", i)
	}
	l.Info("many", args...)
	r := j.Cat(Query{})[0]
	if !r.Truncated || len(r.Attrs) > 128 {
		t.Errorf("record = %+v, want truncated attrs", r)
	}
}

func TestAppendDuration(t *testing.T) {
	ds := []time.Duration{0, 1, 999, time.Microsecond, 1500 * time.Nanosecond, time.Millisecond,
		1500 * time.Millisecond, time.Minute, 90 * time.Minute, -2 * time.Second, 1<<63 - 1, -1 << 63}
	for _, d := range ds {
		if got := string(appendDuration(nil, d)); got != d.String() {
			t.Errorf("appendDuration(%d) = %q, want %q", int64(d), got, d.String())
		}
	}
}

// FuzzAppendDuration checks appendDuration against time.Duration.String.
func FuzzAppendDuration(f *testing.F) {
	f.Add(int64(1500))
	f.Fuzz(func(t *testing.T, n int64) {
		if got, want := string(appendDuration(nil, time.Duration(n))), time.Duration(n).String(); got != want {
			t.Fatalf("appendDuration(%d) = %q, want %q", n, got, want)
		}
	})
}

// TestHandlerTeeAndSiblings shows the daemon's set-up (journal plus stderr
// text through slog.NewMultiHandler) and that sibling loggers made with
// With do not share attributes.
func TestHandlerTeeAndSiblings(t *testing.T) {
	j, _ := newTest(t, Options{Records: 16, RecordBytes: 128})
	var text strings.Builder
	base := slog.New(slog.NewMultiHandler(j.Handler(nil), slog.NewTextHandler(&text, nil))).With("a", 1)
	base.With("b", 2).Info("first")
	base.With("c", 3).Info("second")
	got := j.Cat(Query{})
	if len(got) != 2 || got[0].Attrs != "a=1 b=2" || got[1].Attrs != "a=1 c=3" {
		t.Errorf("journal = %v", got)
	}
	if !strings.Contains(text.String(), "msg=second a=1 c=3") {
		t.Errorf("text handler got %q", text.String())
	}
}
