package groups

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet/jobspec"
)

const goodFile = `groups:
  - name: greenhouse
    selector: site=greenhouse,role!=gateway
    jobs:
      - name: water
        schedule: every day at 06:00 Europe/Berlin
        handler: log
        args: {msg: watering}
    services:
      collector: {enabled: true}
  - name: all
    selector: ""
    jobs: []
`

func TestParseFile(t *testing.T) {
	gs, err := ParseFile([]byte(goodFile), "fleet.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 2 || gs[0].Name != "greenhouse" || gs[1].Order != 1 || len(gs[1].Jobs) != 0 {
		t.Fatalf("groups = %+v", gs)
	}
	j := gs[0].Jobs[0]
	if j.Overlap != jobspec.OverlapSkip || j.MaxConcurrent != 1 || j.Args["msg"] != "watering" {
		t.Errorf("job defaults or args not applied: %+v", j)
	}
	if !*gs[0].Services["collector"].Enabled {
		t.Error("collector not enabled")
	}
}

// TestParseFileProblems: every problem of a file is named with its line,
// in the words of agent check-config for jobs.
func TestParseFileProblems(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"bad schedule", "groups:\n  - name: g\n    selector: a=b\n    jobs:\n      - name: w\n        schedule: every ten\n        handler: log\n",
			`f.yaml:6: groups[0].jobs[0].schedule: `},
		{"unknown key", "groups:\n  - name: g\n    selector: a=b\n    colour: red\n", `f.yaml:4: unknown key "colour" in a group`},
		{"command job", "groups:\n  - name: g\n    selector: a=b\n    jobs:\n      - name: w\n        schedule: every 5m\n        command: [rm, -rf, /]\n",
			"groups[0].jobs[0].command: a group job runs a handler"},
		{"no selector", "groups:\n  - name: g\n", "f.yaml:2: groups[0]: a group needs a selector"},
		{"bad selector", "groups:\n  - name: g\n    selector: 'a in (b'\n", "f.yaml:3: groups[0].selector: "},
		{"bad name", "groups:\n  - name: Green/House\n    selector: a\n", `f.yaml:2: groups[0].name: group name "Green/House"`},
		{"duplicate", "groups:\n  - name: g\n    selector: a\n  - name: g\n    selector: b\n", `duplicate group name "g" (first at line 2)`},
		{"duplicate job", "groups:\n  - name: g\n    selector: a\n    jobs:\n    - {name: w, schedule: every 5m, handler: log}\n    - {name: w, schedule: every 5m, handler: log}\n",
			`duplicate job name "w"`},
		{"service no enabled", "groups:\n  - name: g\n    selector: a\n    services:\n      web: {}\n", "groups[0].services.web.enabled: set enabled"},
		{"syntax", "groups: [\n", "f.yaml:1: YAML syntax error"},
		{"empty", "", "no groups"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFile([]byte(tc.yaml), "f.yaml")
			var ps *jobspec.Problems
			if !errors.As(err, &ps) || !errors.Is(err, jobspec.ErrInvalid) {
				t.Fatalf("err = %v; want *Problems", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q; want it to contain %q", err, tc.want)
			}
		})
	}
}

func FuzzParseFile(f *testing.F) {
	f.Add([]byte(goodFile))
	f.Add([]byte("groups:\n  - name: g\n    selector: 'a in (b,c)'\n    jobs: [{name: x, schedule: cron 0 4 * * 1, handler: log}]\n"))
	f.Add([]byte("groups: {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		gs, err := ParseFile(data, "f.yaml")
		if err == nil {
			for _, g := range gs {
				_ = g.Hash()
				if CheckName(g.Name) != nil {
					t.Fatalf("accepted bad name %q", g.Name)
				}
			}
		}
	})
}

// TestExampleFile: the example in examples/ is a valid fleet file.
func TestExampleFile(t *testing.T) {
	data, err := os.ReadFile("../../examples/fleet.yaml")
	if err != nil {
		t.Fatal(err)
	}
	gs, err := ParseFile(data, "examples/fleet.yaml")
	if err != nil || len(gs) != 3 {
		t.Fatalf("examples/fleet.yaml: %d groups, %v", len(gs), err)
	}
}
