package jobspec

import (
	"errors"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestCheckJobs(t *testing.T) {
	doc := "jobs:\n  - name: a\n    schedule: every ten\n    handler: log\n  - name: a\n    schedule: every 5m\n" +
		"  - name: b/c\n    schedule: every 5m\n    handler: log\n    command: [x]\n    overlap: maybe\n    timeout: -1s\n"
	var root yaml.Node
	var f struct {
		Jobs []Job `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	if err := root.Decode(&f); err != nil {
		t.Fatal(err)
	}
	for i := range f.Jobs {
		f.Jobs[i].ApplyDefaults()
	}
	p := &Problems{File: "f.yaml"}
	Checker{Pos: Index(&root), P: p}.Jobs("jobs", f.Jobs)
	if !errors.Is(p.Err(), ErrInvalid) {
		t.Fatalf("Err() = %v; want ErrInvalid", p.Err())
	}
	got := p.Error()
	for _, want := range []string{
		"f.yaml:3: jobs[0].schedule: ",
		`f.yaml:5: jobs[1].name: duplicate job name "a" (first at line 2)`,
		"f.yaml:5: jobs[1]: set a handler or a command",
		`f.yaml:7: jobs[2].name: job name "b/c" must be 1 to 64`,
		"f.yaml:7: jobs[2]: set handler or command, not both",
		`f.yaml:11: jobs[2].overlap: "maybe" is not one of skip, queue, concurrent`,
		"f.yaml:12: jobs[2].timeout: must not be negative, not -1s",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if (&Problems{}).Err() != nil {
		t.Error("no problem is not nil")
	}
}

func TestJobDefaults(t *testing.T) {
	j := Job{Command: []string{"x"}, Overlap: OverlapConcurrent}
	j.ApplyDefaults()
	if j.Timeout.D() != DefaultCommandTimeout || j.MaxConcurrent != DefaultMaxConcurrent || j.CatchUp != CatchUpSkip {
		t.Errorf("defaults = %+v", j)
	}
}
