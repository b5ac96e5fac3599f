package fleet

import (
	"errors"
	"log/slog"
	"testing"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want slog.Level
		err  bool
	}{
		{"debug", slog.LevelDebug, false},
		{"INFO", slog.LevelInfo, false},
		{" warn ", slog.LevelWarn, false},
		{"Warning", slog.LevelWarn, false},
		{"error", slog.LevelError, false},
		{"err", slog.LevelError, false},
		{"info+2", slog.LevelInfo + 2, false},
		{"ERROR-1", slog.LevelError - 1, false},
		{"-4", slog.LevelDebug, false},
		{"12", 12, false},
		{"", 0, true},
		{"loud", 0, true},
		{"info+", 0, true},
		{"99999999999", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLevel(tt.in)
			if tt.err {
				if !errors.Is(err, ErrBadLevel) {
					t.Errorf("ParseLevel(%q) = %v, %v; want ErrBadLevel", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseLevel(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}
