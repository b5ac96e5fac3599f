package control

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"

	"github.com/drover-iot/drover/fleet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func request(id, cmd string, args any) []byte {
	req := map[string]any{"v": 1, "id": id, "cmd": cmd, "from": "op1"}
	if args != nil {
		req["args"] = args
	}
	b, _ := json.Marshal(req)
	return b
}

// withJob adds a job to the fixture's scheduler before the request.
func withJob(j fleet.Job) func(*fixture) {
	return func(f *fixture) { f.sched.jobs = append(f.sched.jobs, j) }
}

// n2 is a job that schedule.add made, for the rows that act on it.
var n2 = fleet.Job{Name: "n2", Spec: "every 10s", Handler: "backup"}

// TestCommands runs each command on a fresh fixture: units blink, blink@1
// (tasks) and blinkd (service), the job nightly, records a, b and c, the
// sensor bme; setup adds what a row needs beyond that.
func TestCommands(t *testing.T) {
	tests := []struct {
		cmd      string
		args     any
		setup    func(*fixture)
		wantCode fleet.Code // empty: success
		want     string     // substring of the result JSON
	}{
		{"ping", nil, nil, "", `"version":"v9"`},
		{"info", nil, nil, "", `"id":"dev1"`},
		{"status", nil, nil, "", `"device":"dev1"`},
		{"task.list", nil, nil, "", `"blink@1"`},
		{"task.stop", map[string]any{"name": "blink*"}, nil, "", `"state":"stopped"`},
		{"task.start", map[string]any{"name": "blink"}, nil, "", `"name":"blink"`},
		{"task.restart", map[string]any{"name": "nope"}, nil, fleet.CodeNotFound, ""},
		{"task.stop", nil, nil, fleet.CodeBadRequest, ""},
		{"task.stop", map[string]any{"name": "x", "extra": 1}, nil, fleet.CodeBadRequest, ""},
		{"service.list", nil, nil, "", `"blinkd"`},
		{"service.disable", map[string]any{"name": "blinkd"}, nil, "", `"state":"stopped"`},
		{"service.enable", map[string]any{"name": "blink"}, nil, fleet.CodeNotFound, ""}, // a task, not a service
		{"service.restart", map[string]any{"name": "blink*"}, nil, "", `"blinkd"`},
		{"logs", map[string]any{"n": 2}, nil, "", `"msg":"b"},{`},
		{"logs", map[string]any{"grep": "("}, nil, fleet.CodeBadRequest, ""},
		{"schedule.list", nil, nil, "", `"nightly"`},
		{"schedule.add", map[string]any{"name": "n2", "spec": "every 10s", "job": "backup"}, nil, "", `"name":"n2"`},
		{"schedule.add", map[string]any{"name": "n3", "spec": "every 10s", "job": "rm -rf /"}, nil, fleet.CodeNotFound, ""},
		{"schedule.add", map[string]any{"name": "nightly", "spec": "every 10s", "job": "backup"}, nil, fleet.CodeConflict, ""},
		{"schedule.add", map[string]any{"name": "n4"}, nil, fleet.CodeBadRequest, ""},
		{"schedule.pause", map[string]any{"name": "nightly"}, nil, "", `"paused":true`},
		{"schedule.resume", map[string]any{"name": "n*"}, withJob(n2), "", `"name":"n2"`},
		{"schedule.pause", map[string]any{"name": "*"}, withJob(n2), "", `"name":"n2","spec":"every 10s","handler":"backup","paused":true`},
		{"schedule.pause", map[string]any{"name": "zz*"}, nil, fleet.CodeNotFound, ""},
		{"schedule.remove", map[string]any{"name": "[*"}, nil, fleet.CodeBadRequest, ""},
		{"schedule.run", map[string]any{"name": "nightly"}, nil, "", `"runs":1`},
		{"schedule.remove", map[string]any{"name": "ghost"}, nil, fleet.CodeNotFound, ""},
		{"sensors.read", nil, nil, "", `"temperature"`},
		{"sensors.read", map[string]any{"sensor": "x"}, nil, fleet.CodeNotFound, ""},
		{"config.get", nil, nil, "", `redacted`},
		{"ota.apply", nil, nil, fleet.CodeUnavailable, ""},
		{"rm", nil, nil, fleet.CodeUnknownCommand, ""},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%d_%s", i, tt.cmd), func(t *testing.T) {
			f := newFixture(t)
			if tt.setup != nil {
				tt.setup(f)
			}
			r, ok := handle(context.Background(), f.d, request(fmt.Sprint("id", i), tt.cmd, tt.args))
			if !ok {
				t.Fatal("no reply")
			}
			checkReply(t, r, tt.wantCode, tt.want)
			if got := f.pub.replies(); len(got) != 1 || got[0].topic != "drover/dev1/reply/op1" {
				t.Errorf("published %+v, want one reply on drover/dev1/reply/op1", got)
			}
		})
	}
}

func checkReply(t *testing.T, r fleet.Reply, code fleet.Code, want string) {
	t.Helper()
	if code != "" {
		if r.Error == nil || r.Error.Code != code {
			t.Fatalf("reply %+v error %+v, want code %s", r, r.Error, code)
		}
		return
	}
	if err := r.Err(); err != nil {
		t.Fatalf("unexpected error reply: %v", err)
	}
	if !strings.Contains(string(r.Result), want) {
		t.Errorf("result %s lacks %s", r.Result, want)
	}
}

// TestRefusedRequests sends each refused request to a fresh dispatcher,
// then a ping, which must still be served.
func TestRefusedRequests(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC))
	tests := []struct {
		name    string
		payload string
		code    fleet.Code
		topic   string
	}{
		{"malformed JSON", `{"v":1,`, fleet.CodeBadRequest, "drover/dev1/reply"},
		{"missing cmd", `{"v":1,"id":"a","from":"op1"}`, fleet.CodeBadRequest, "drover/dev1/reply/op1"},
		{"oversized", `{"v":1,"id":"b","from":"op1","cmd":"ping","args":{"x":"` + strings.Repeat("x", 2000) + `"}}`, fleet.CodeTooLarge, "drover/dev1/reply/op1"},
		{"expired", `{"v":1,"id":"c","from":"op1","cmd":"ping","exp":"2026-11-21T09:59:59Z"}`, fleet.CodeExpired, "drover/dev1/reply/op1"},
		{"bad from", `{"v":1,"id":"d","from":"a/b","cmd":"nope"}`, fleet.CodeUnknownCommand, "drover/dev1/reply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, WithClock(clock), WithPayloadLimit(1024))
			r, ok := handle(context.Background(), f.d, []byte(tt.payload))
			if !ok || r.Error == nil || r.Error.Code != tt.code {
				t.Fatalf("reply %+v (sent %v), want %s", r, ok, tt.code)
			}
			got := f.pub.replies()
			if len(got) != 1 || got[0].topic != tt.topic {
				t.Fatalf("published %v, want one reply on %s", got, tt.topic)
			}
			if r, _ := handle(context.Background(), f.d, request("after", "ping", nil)); r.Err() != nil {
				t.Errorf("agent stopped serving after the refused request: %v", r.Err())
			}
		})
	}
}

func TestDuplicateAnsweredFromCache(t *testing.T) {
	f := newFixture(t)
	payload := request("dup", "schedule.run", map[string]any{"name": "nightly"})
	first, _ := handle(context.Background(), f.d, payload)
	second, ok := handle(context.Background(), f.d, payload)
	if !ok || string(first.Result) != string(second.Result) {
		t.Fatalf("second reply %s, want the cached %s", second.Result, first.Result)
	}
	if runs := f.sched.Jobs()[0].Runs; runs != 1 {
		t.Errorf("job ran %d times, want 1 (duplicate executed)", runs)
	}
	if n := len(f.pub.replies()); n != 2 {
		t.Errorf("%d replies published, want 2", n)
	}
}

func TestAgentRestartAfterReply(t *testing.T) {
	f := newFixture(t)
	r, _ := handle(context.Background(), f.d, request("r1", "agent.restart", nil))
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	select {
	case <-f.restarts:
	default:
		t.Fatal("restart not requested")
	}
	if len(f.pub.replies()) != 1 {
		t.Error("restart requested without a reply")
	}
}

func TestUnavailableWithoutDeps(t *testing.T) {
	d, err := New("dev1", Deps{Publisher: &fakePublisher{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"info", "status", "task.list", "service.list", "logs", "log.follow", "schedule.list", "schedule.add", "schedule.run", "sensors.read", "config.get", "agent.restart"} {
		r, _ := handle(context.Background(), d, request("u-"+cmd, cmd, map[string]any{"name": "x"}))
		if r.Error == nil || r.Error.Code != fleet.CodeUnavailable {
			t.Errorf("%s: reply %+v, want unavailable", cmd, r.Error)
		}
	}
	if r, _ := handle(context.Background(), d, request("p", "ping", nil)); r.Err() != nil {
		t.Errorf("ping without deps: %v", r.Err())
	}
}

func TestNewRefusesBadSetup(t *testing.T) {
	if _, err := New("Bad/ID", Deps{Publisher: &fakePublisher{}}); err == nil {
		t.Error("invalid device id accepted")
	}
	if _, err := New("dev1", Deps{}); err == nil {
		t.Error("missing publisher accepted")
	}
}

func TestPanicBecomesInternal(t *testing.T) {
	f := newFixture(t)
	f.d.deps.Status = func() fleet.Snapshot { panic("boom") }
	r, ok := handle(context.Background(), f.d, request("p1", "status", nil))
	if !ok || r.Error == nil || r.Error.Code != fleet.CodeInternal {
		t.Fatalf("reply %+v, want internal error", r)
	}
}

func TestRunServesAndStops(t *testing.T) {
	f := newFixture(t)
	in := make(chan []byte)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.d.Run(ctx, in) }()
	for i := range 10 {
		in <- request(fmt.Sprint("run", i), "ping", nil)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(f.pub.replies()); n != 10 {
		t.Errorf("%d replies, want 10", n)
	}
}

func TestRepliesKeepHTMLCharacters(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		want string
	}{
		{"less and greater", map[string]any{"note": "<b>"}, `"note":"<b>"`},
		{"ampersand", map[string]any{"url": "tcp://h:1883/?a=1&b=2"}, `"url":"tcp://h:1883/?a=1&b=2"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.d.deps.Config = func() map[string]any { return tt.cfg }
			handle(context.Background(), f.d, request("c-"+tt.name, "config.get", nil))
			got := f.pub.replies()
			if len(got) != 1 || !strings.Contains(string(got[0].payload), tt.want) {
				t.Fatalf("published %+v, want it to contain %s unescaped", got, tt.want)
			}
		})
	}
}

// TestReplyExpiresWithItsRequest: the reply to a request with exp is kept
// (in the outbox) only until then; one without exp has no deadline of its own.
func TestReplyExpiresWithItsRequest(t *testing.T) {
	f := newFixture(t)
	exp := time.Now().Add(time.Minute).UTC().Truncate(time.Second)
	for _, payload := range []string{
		fmt.Sprintf(`{"v":1,"id":"a","cmd":"ping","from":"op","exp":%q}`, exp.Format(time.RFC3339)),
		`{"v":1,"id":"b","cmd":"ping","from":"op"}`,
		`{"v":1,"id":"c","cmd":"ping","from":"op","exp":"2001-01-01T00:00:00Z"}`, // refused as expired, at once
	} {
		if _, ok := handle(context.Background(), f.d, []byte(payload)); !ok {
			t.Fatalf("%s: no reply", payload)
		}
	}
	f.pub.mu.Lock()
	defer f.pub.mu.Unlock()
	if len(f.pub.msgs) != 3 || !f.pub.msgs[0].expires.Equal(exp) || !f.pub.msgs[1].expires.IsZero() ||
		!f.pub.msgs[2].expires.IsZero() {
		t.Fatalf("replies %+v: want the first to expire at %v, the others (no exp; refused as expired) never", f.pub.msgs, exp)
	}
}
