package journal

import (
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
)

func TestRecordText(t *testing.T) {
	tests := []struct {
		rec  Record
		want string
	}{
		{Record{Time: t0, Level: slog.LevelInfo, Source: "task:blink", Msg: "message", Attrs: "k=v"},
			"2026-11-21 10:00:00.123 INFO  task:blink  message k=v"},
		{Record{Time: t0, Level: slog.LevelError, Source: "agent", Msg: "boom"},
			"2026-11-21 10:00:00.123 ERROR agent  boom"},
		{Record{Time: t0, Level: slog.LevelWarn + 2, Source: "svc:modbus", Msg: "m", Attrs: `a="x y"`},
			`2026-11-21 10:00:00.123 WARN+2 svc:modbus  m a="x y"`},
		{Record{Time: t0, Level: slog.LevelDebug, Source: "mqtt", Msg: ""},
			"2026-11-21 10:00:00.123 DEBUG mqtt  "},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.rec.String(); got != tt.want {
				t.Errorf("String() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestRecordJSON(t *testing.T) {
	tests := []struct {
		rec  Record
		want string
	}{
		{Record{Seq: 7, Time: t0, Level: slog.LevelInfo, Source: "task:blink", Msg: "hi", Attrs: "k=1"},
			`{"seq":7,"ts":"2026-11-21T10:00:00.123Z","level":"INFO","source":"task:blink","msg":"hi","attrs":"k=1"}`},
		{Record{Seq: 8, Time: t0, Level: slog.LevelWarn, Source: "agent", Msg: "cut…", Truncated: true, Dropped: 3},
			`{"seq":8,"ts":"2026-11-21T10:00:00.123Z","level":"WARN","source":"agent","msg":"cut…","truncated":true,"dropped":3}`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			b, err := json.Marshal(tt.rec)
			if err != nil || string(b) != tt.want {
				t.Fatalf("Marshal = %s, %v; want %s", b, err, tt.want)
			}
			var back Record
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !back.Time.Equal(tt.rec.Time) {
				t.Errorf("time = %v, want %v", back.Time, tt.rec.Time)
			}
			back.Time = tt.rec.Time
			if back != tt.rec {
				t.Errorf("round trip = %+v, want %+v", back, tt.rec)
			}
		})
	}
}

func TestRecordJSONErrors(t *testing.T) {
	for _, in := range []string{`{"level":"loud"}`, `{"ts":"yesterday"}`, `[]`} {
		var r Record
		if err := json.Unmarshal([]byte(in), &r); !errors.Is(err, ErrBadRecord) {
			t.Errorf("Unmarshal(%s) = %v, want ErrBadRecord", in, err)
		}
	}
}

// FuzzRecordJSON checks that any decodable record survives a round trip.
func FuzzRecordJSON(f *testing.F) {
	f.Add(`{"seq":7,"ts":"2026-11-21T10:00:00.123Z","level":"INFO","source":"a","msg":"hi","attrs":"k=1"}`)
	f.Add(`{"level":"warn+3","dropped":2,"truncated":true}`)
	f.Fuzz(func(t *testing.T, in string) {
		var r Record
		if err := json.Unmarshal([]byte(in), &r); err != nil {
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			return // e.g. a year outside RFC 3339's range
		}
		var back Record
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if back.Level != r.Level || back.Seq != r.Seq || back.Msg != r.Msg || back.Attrs != r.Attrs {
			t.Fatalf("round trip changed %+v into %+v", r, back)
		}
	})
}
