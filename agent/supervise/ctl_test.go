package supervise

import (
	"context"
	"log/slog"
	"testing"

	"github.com/drover-iot/drover/agent/journal"
	"github.com/drover-iot/drover/fleet"
)

// TestUnitLogSources checks that a unit's own records (Ctl.Logger and the
// supervisor's "unit failed") carry the journal convention's source
// task:<name> or svc:<name>, so `logs --source 'task:*'` finds them.
func TestUnitLogSources(t *testing.T) {
	j, err := journal.New(journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	s, _ := newSup(t, WithLogger(slog.New(j.Handler(nil))))
	if err := s.Register("talk", func(_ context.Context, c *Ctl) (any, error) {
		c.Logger().Info("hello from " + c.Name())
		return nil, errBoom
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(TaskSpec{Name: "chatty", Func: "talk"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddService(ServiceSpec{Name: "daemon", Enabled: true, Run: func(_ context.Context, c *Ctl) (any, error) {
		c.Logger().Info("hello from " + c.Name())
		return nil, nil
	}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Boot(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, "chatty", InState(fleet.UnitFailed))
	waitFor(t, s, "daemon", InState(fleet.UnitDone))
	tests := []struct {
		source string
		want   []string
	}{
		{"task:chatty", []string{"hello from chatty", "unit failed"}},
		{"svc:daemon", []string{"hello from daemon"}},
		{"task:*", []string{"hello from chatty", "unit failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			var got []string
			for _, r := range j.Cat(journal.Query{Source: tt.source}) {
				got = append(got, r.Msg)
			}
			if len(got) != len(tt.want) || got[0] != tt.want[0] || got[len(got)-1] != tt.want[len(tt.want)-1] {
				t.Errorf("records of %s = %q, want %q", tt.source, got, tt.want)
			}
		})
	}
}
