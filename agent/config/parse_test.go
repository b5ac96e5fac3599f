package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/drover-iot/drover/scheduler/schedule"
)

// problemsOf parses doc and returns its problems as "line: message" strings.
func problemsOf(t *testing.T, doc string) []string {
	t.Helper()
	_, err := Parse([]byte(doc), "agent.yaml")
	if err == nil {
		return nil
	}
	var ps *Problems
	if !errors.As(err, &ps) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("error %v (%T) is not *Problems", err, err)
	}
	out := make([]string, len(ps.List))
	for i, p := range ps.List {
		out[i] = p.String()
	}
	return out
}

func TestBadConfigs(t *testing.T) {
	_, specErr := schedule.Parse("every 5 parsecs")
	tests := []struct {
		name string
		doc  string
		want string // "line: " and a part of the message
	}{
		{"unknown key", "id: a\nbroker:\n  urll: tcp://x:1\n", `3: unknown key "urll" in broker`},
		{"unknown service key", "services:\n  - name: a\n    command: [x]\n    restart:\n      polcy: no\n",
			`5: unknown key "polcy" in restart`},
		{"bad duration", "status_interval: 5 parsecs\n", `1: bad duration "5 parsecs"`},
		{"bad size", "journal:\n  file_max: lots\n", `2: bad size "lots"`},
		{"tiny outbox", "outbox:\n  max_bytes: 1KB\n", `2: outbox.max_bytes: must be at least 64KiB`},
		{"negative outbox sync", "outbox:\n  sync_interval: -1s\n", `2: outbox.sync_interval: must not be negative`},
		{"upper-case id", "id: Pi-1\n", `1: id: device id "Pi-1" must be lower case`},
		{"id with slash", "id: a/b\n", `1: id: device id "a/b" must not contain '+', '#' or '/'`},
		{"id with wildcard", "id: 'a+'\n", `1: id: device id "a+" must not contain`},
		{"cycle", "services:\n  - name: a\n    command: [x]\n    requires: [b]\n" +
			"  - name: b\n    command: [x]\n    requires: [a]\n",
			`4: services[0].requires: dependency cycle: a -> b -> a`},
		{"missing dependency", "services:\n  - name: web\n    command: [x]\n    requires: [db]\n",
			`4: services[0].requires: service "web" requires unknown service "db"`},
		{"duplicate service", "services:\n  - name: a\n    command: [x]\n  - name: a\n    command: [y]\n",
			`4: services[1].name: duplicate service name "a" (first at line 2)`},
		{"duplicate job", "jobs:\n  - {name: j, schedule: every 1m, handler: h}\n  - {name: j, schedule: every 2m, handler: h}\n",
			`3: jobs[1].name: duplicate job name "j" (first at line 2)`},
		{"bad schedule", "jobs:\n  - name: j\n    schedule: every 5 parsecs\n    handler: h\n",
			"3: jobs[0].schedule: " + specErr.Error()},
		{"handler and command", "jobs:\n  - name: j\n    schedule: every 1m\n    handler: h\n    command: [x]\n",
			"2: jobs[0]: set handler or command, not both"},
		{"neither handler nor command", "jobs:\n  - name: j\n    schedule: every 1m\n",
			"2: jobs[0]: set a handler or a command"},
		{"bad restart policy", "services:\n  - name: a\n    command: [x]\n    restart:\n      policy: sometimes\n",
			`5: services[0].restart.policy: "sometimes" is not one of no, on-failure, always`},
		{"exec without command", "services:\n  - name: a\n", "2: services[0].command: an exec service needs a command"},
		{"bad kind", "services:\n  - name: a\n    kind: docker\n    command: [x]\n", `3: services[0].kind: "docker" is not one of exec, sensor`},
		{"bad overlap", "jobs:\n  - {name: j, schedule: every 1m, handler: h, overlap: pile}\n", `2: jobs[0].overlap: "pile" is not one of`},
		{"password twice", "broker:\n  password: x\n  password_file: /f\n", "3: broker.password_file: set password or password_file, not both"},
		{"bad broker url", "broker:\n  url: http//x\n", `2: broker.url: "http//x" is not a broker URL`},
		{"bad ota key", "ota:\n  trusted_keys: [nope]\n", "2: ota.trusted_keys[0]: not a minisign public key"},
		{"bad control key", "control:\n  keys:\n    - {key: nope, role: admin}\n", "3: control.keys[0].key: not a minisign public key"},
		{"bad control role", "control:\n  keys:\n    - key: RWQkggzK4eO9R0XC/ENcPWBwFayTJCRb6t8hDGfcgYV2NTON0Vz3SEnl\n      role: root\n",
			`4: control.keys[0].role: "root" is not a role`},
		{"unknown control field", "control:\n  keys:\n    - {key: RWQkggzK4eO9R0XC/ENcPWBwFayTJCRb6t8hDGfcgYV2NTON0Vz3SEnl, role: admin, rights: all}\n", `3: unknown key "rights" in a control key`},
		{"sensor without driver", "sensors:\n  - name: t\n", "2: sensors[0].driver: a sensor needs a driver"},
		{"wrong type", "journal:\n  records: many\n", "2: cannot unmarshal !!str `many` into int"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problemsOf(t, tt.doc)
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("problems:\n%s\nwant one starting with:\n%s", strings.Join(got, "\n"), tt.want)
			}
		})
	}
}

func TestSeveralProblemsAtOnce(t *testing.T) {
	doc := `id: Bad/Id
brokr: {}
services:
  - name: a
    command: [x]
    requires: [b, ghost]
  - name: b
    command: [x]
    requires: [a]
jobs:
  - name: j
    schedule: every
    handler: h
`
	got := problemsOf(t, doc)
	wantPrefixes := []string{
		`1: id: `,
		`2: unknown key "brokr"`,
		`6: services[0].requires: service "a" requires unknown service "ghost"`,
		`6: services[0].requires: dependency cycle: a -> b -> a`,
		`12: jobs[0].schedule: `,
	}
	if len(got) != len(wantPrefixes) {
		t.Fatalf("got %d problems:\n%s", len(got), strings.Join(got, "\n"))
	}
	for i, w := range wantPrefixes {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("problem %d = %q, want prefix %q", i, got[i], w)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	_, err := Parse([]byte("id: A\nfoo: 1\n"), "/etc/drover/agent.yaml")
	want := "/etc/drover/agent.yaml:1: id: device id \"A\" must be lower case\n" +
		"/etc/drover/agent.yaml:2: unknown key \"foo\" at the top level"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unclosed flow", "id: [\n  x: y", "agent.yaml:2: YAML syntax error: "},
		{"tab indent", "id: a\n\tprefix: x\n", "agent.yaml:2: YAML syntax error: "},
		{"not a mapping", "- a\n- b\n", "agent.yaml:1: cannot unmarshal !!seq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.doc), "agent.yaml")
			if c != nil || err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Parse = %v, %v; want error starting %q", c, err, tt.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	if _, err := Load("/nonexistent/agent.yaml"); err == nil || errors.Is(err, ErrInvalid) {
		t.Errorf("missing file: err = %v, want a read error", err)
	}
	c, err := Load("")
	if err != nil || c.Prefix != DefaultPrefix {
		t.Errorf("no file: %v, %v", c, err)
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	c, err := Load("../../examples/agent.yaml")
	if err != nil {
		t.Fatalf("examples/agent.yaml: %v", err)
	}
	if len(c.Services) < 2 || len(c.Jobs) < 2 {
		t.Errorf("example has %d services and %d jobs", len(c.Services), len(c.Jobs))
	}
}

// FuzzParse checks that no input makes Parse panic, and that every
// rejected input gets at least one problem with a message.
func FuzzParse(f *testing.F) {
	f.Add([]byte("id: a\nservices:\n  - name: a\n    command: [x]\n"))
	f.Add([]byte("jobs:\n  - {name: j, schedule: every 1m, handler: h}\n"))
	f.Add([]byte("id: [\n"))
	f.Add([]byte("sensors:\n  - name: s\n    driver: bme280\n    args: {bus: 1}\n"))
	f.Add([]byte("status_interval: 5 parsecs\njournal: {file_max: 1GiB}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml")
		if err == nil {
			if c == nil {
				t.Fatal("nil config without error")
			}
			return
		}
		var ps *Problems
		if errors.As(err, &ps) && (len(ps.List) == 0 || ps.List[0].Message == "") {
			t.Fatalf("empty problem list for %q", data)
		}
	})
}
