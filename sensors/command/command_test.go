package command

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"

	"github.com/drover-iot/drover/internal/execproc"
	"github.com/drover-iot/drover/sensors"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestParse(t *testing.T) {
	tests := []struct {
		name, out string
		want      []Value
		wantErr   bool
	}{
		{"one number", "42.5\n", []Value{{"value", 42.5}}, false},
		{"negative exp", "  -1e3 ", []Value{{"value", -1000}}, false},
		{"key=value", "temp=21.5\n# comment\n\nvolts = 1.2\n", []Value{{"temp", 21.5}, {"volts", 1.2}}, false},
		{"single pair", "rssi=-67", []Value{{"rssi", -67}}, false},
		{"empty", "  \n", nil, true},
		{"text", "hello", nil, true},
		{"nan", "NaN", nil, true},
		{"inf pair", "x=+Inf", nil, true},
		{"two bare numbers", "1\n2\n", nil, true},
		{"bad key", "a b=1", nil, true},
		{"repeated key", "a=1\na=2", nil, true},
		{"missing value", "a=", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.out), "value")
			if tt.wantErr {
				if !errors.Is(err, sensors.ErrParse) {
					t.Fatalf("err = %v, want ErrParse", err)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("Parse = %v, %v; want %v", got, err, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("Parse = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"42", "a=1\nb=2", "# x\nk=1e9", "=", "a=b=c", "\x00=1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, out []byte) {
		vals, err := Parse(out, "value")
		if err != nil {
			return
		}
		if len(vals) == 0 {
			t.Fatal("no values and no error")
		}
		for _, v := range vals {
			if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) || v.Key == "" {
				t.Fatalf("bad value %+v", v)
			}
		}
	})
}

func TestRead(t *testing.T) {
	tests := []struct {
		name    string
		argv    []string
		timeout time.Duration
		want    map[string]float64
		wantIs  error
	}{
		{"number", []string{"echo", "21.5"}, time.Minute, map[string]float64{"temp": 21.5}, nil},
		{"pairs", []string{"printf", "a=1\\nb=2\\n"}, time.Minute, map[string]float64{"a": 1, "b": 2}, nil},
		{"argv is not a shell", []string{"echo", "$((1+1))"}, time.Minute, nil, sensors.ErrParse},
		{"non-zero exit", []string{"sh", "-c", "echo 5; exit 3"}, time.Minute, nil, nil},
		{"timeout kills", []string{"sleep", "60"}, 50 * time.Millisecond, nil, context.DeadlineExceeded},
		{"missing program", []string{"/nonexistent/prog"}, time.Minute, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New("c", Config{Command: tt.argv, Metric: "temp", Unit: "celsius"}, clockwork.NewFakeClock())
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), tt.timeout)
			defer cancel()
			rs, err := s.Read(ctx)
			if tt.want == nil {
				if err == nil || (tt.wantIs != nil && !errors.Is(err, tt.wantIs) && !errors.Is(err, execproc.ErrStopped)) {
					t.Fatalf("Read = %v, %v; want error %v", rs, err, tt.wantIs)
				}
				return
			}
			if err != nil || len(rs) != len(tt.want) {
				t.Fatalf("Read = %v, %v", rs, err)
			}
			for _, r := range rs {
				if tt.want[r.Metric] != r.Value {
					t.Fatalf("Read = %v, want %v", rs, tt.want)
				}
			}
		})
	}
}

func TestNewRejectsEmptyCommand(t *testing.T) {
	if _, err := New("c", Config{}, clockwork.NewFakeClock()); !errors.Is(err, ErrNoCommand) {
		t.Fatalf("err = %v", err)
	}
}
