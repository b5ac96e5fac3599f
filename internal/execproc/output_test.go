package execproc

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestOutput(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		limit   int
		timeout time.Duration
		want    string
		wantErr error
		stderr  string
	}{
		{name: "stdout only", script: "echo hello; echo noise >&2", want: "hello\n"},
		{name: "limit", script: "echo 0123456789", limit: 4, want: "0123", wantErr: ErrOutputLimit},
		{name: "failure keeps stderr", script: "echo partial; echo boom >&2; exit 2",
			want: "partial\n", stderr: "boom"},
		{name: "timeout stops", script: "echo early; exec sleep 1000", timeout: 300 * time.Millisecond,
			want: "early\n", wantErr: ErrStopped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			out, err := Output(ctx, sh(tt.script), tt.limit)
			if string(out) != tt.want {
				t.Errorf("out = %q, want %q", out, tt.want)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && tt.stderr == "" && err != nil {
				t.Errorf("unexpected err %v", err)
			}
			var ee *ExitError
			if tt.stderr != "" && (!errors.As(err, &ee) || ee.Stderr != tt.stderr || ee.Code != 2) {
				t.Errorf("err = %v, want exit 2 with stderr %q", err, tt.stderr)
			}
		})
	}
}
