package agent

import (
	"context"
	"strings"
	"testing"

	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/fleet"
)

// TestScheduleAddNamesConfigCommandJob checks that schedule.add accepts the
// name of a command job from the config, and nothing else unknown.
func TestScheduleAddNamesConfigCommandJob(t *testing.T) {
	url := startBroker(t)
	yml := "id: dev1\ndata_dir: " + t.TempDir() + "\nbroker:\n  url: " + url +
		"\nmetrics:\n  enabled: false\njobs:\n  - name: hello\n    schedule: every 1h\n    command: [/bin/echo, hi]\n"
	cfg, err := config.Parse([]byte(yml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, url)
	stop := startAgent(t, cfg)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	tests := []struct {
		job  string
		code fleet.Code
	}{
		{"hello", ""},
		{"command:hello", ""},
		{"backup", ""},
		{"/bin/sh", fleet.CodeNotFound},
	}
	for i, tt := range tests {
		t.Run(tt.job, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), waitFor)
			defer cancel()
			args := fleet.ScheduleAddArgs{Name: "r" + string(rune('a'+i)), Spec: "every 2h", Job: tt.job}
			_, err := c.Request(ctx, "dev1", fleet.CmdScheduleAdd, args)
			if got := codeOf(err); got != tt.code {
				t.Fatalf("schedule.add job %q: %v, want code %q", tt.job, err, tt.code)
			}
		})
	}
	if r := request(t, c, fleet.CmdScheduleList, nil); !strings.Contains(string(r.Result), `"name":"ra","spec":"every 2h","handler":"command:hello"`) {
		t.Errorf("schedule.list: %s, want ra running command:hello", r.Result)
	}
}

func codeOf(err error) fleet.Code {
	if err == nil {
		return ""
	}
	return fleet.AsError(err).Code
}

// TestProbeBroker checks the selftest probe against a live and a dead broker.
func TestProbeBroker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	a, err := New(testConfig(t, startBroker(t), t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.ProbeBroker(ctx); err != nil {
		t.Errorf("probe of a live broker: %v", err)
	}
	cfg := testConfig(t, "tcp://127.0.0.1:1", t.TempDir())
	if a, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	if err := a.ProbeBroker(ctx); err == nil {
		t.Error("probe of a closed port succeeded")
	}
}
