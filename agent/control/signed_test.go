package control

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
)

type edSigner struct {
	id   string
	priv ed25519.PrivateKey
}

func newEdSigner(t testing.TB, id string) edSigner {
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return edSigner{id: id, priv: priv}
}

func (s edSigner) ID() string                    { return s.id }
func (s edSigner) SignEd25519(msg []byte) []byte { return ed25519.Sign(s.priv, msg) }
func (s edSigner) key(r fleet.Role) fleet.TrustedKey {
	return fleet.TrustedKey{ID: s.id, Public: s.priv.Public().(ed25519.PublicKey), Role: r}
}

// signedFixture is a fixture whose dispatcher trusts an operator and a
// viewer key, on a fake clock.
type signedFixture struct {
	*fixture
	clock          *clockwork.FakeClock
	operator, view edSigner
}

func newSignedFixture(t *testing.T, opts ...Option) *signedFixture {
	sf := &signedFixture{clock: clockwork.NewFakeClock(), operator: newEdSigner(t, "00000000000000A1"), view: newEdSigner(t, "00000000000000B2")}
	kr, err := fleet.NewKeyring(sf.operator.key(fleet.RoleOperator), sf.view.key(fleet.RoleViewer))
	if err != nil {
		t.Fatal(err)
	}
	sf.fixture = newFixture(t, append([]Option{WithKeys(kr), WithClock(sf.clock)}, opts...)...)
	return sf
}

// signed returns the payload of a request signed by s for dev1, valid for validity.
func (sf *signedFixture) signed(s fleet.Signer, id, cmd, args string, validity time.Duration) []byte {
	exp := sf.clock.Now().Add(validity)
	req := fleet.Request{V: fleet.Version, ID: id, Cmd: cmd, From: "op1", Exp: &exp}
	if args != "" {
		req.Args = json.RawMessage(args)
	}
	fleet.SignRequest(s, "dev1", &req)
	b, _ := json.Marshal(req)
	return b
}

func (sf *signedFixture) calls() []string {
	sf.units.mu.Lock()
	defer sf.units.mu.Unlock()
	return append([]string(nil), sf.units.calls...)
}

func TestSignedRefusals(t *testing.T) {
	tests := []struct {
		name    string
		payload func(sf *signedFixture) []byte
		code    fleet.Code
		want    string
	}{
		{"unsigned", func(*signedFixture) []byte { return request("u1", "task.stop", map[string]any{"name": "blink"}) }, fleet.CodeForbidden, "unsigned"},
		{"viewer task.stop", func(sf *signedFixture) []byte {
			return sf.signed(sf.view, "v1", "task.stop", `{"name":"blink"}`, time.Minute)
		}, fleet.CodeForbidden, "role viewer"},
		{"unknown key", func(sf *signedFixture) []byte {
			return sf.signed(newEdSigner(t, "00000000000000C3"), "k1", "task.stop", `{"name":"blink"}`, time.Minute)
		}, fleet.CodeForbidden, "unknown key"},
		{"expired", func(sf *signedFixture) []byte {
			return sf.signed(sf.operator, "e1", "task.stop", `{"name":"blink"}`, -time.Second)
		}, fleet.CodeExpired, "expired"},
		{"tampered", func(sf *signedFixture) []byte {
			p := sf.signed(sf.operator, "t1", "task.stop", `{"name":"blink"}`, time.Minute)
			return []byte(strings.Replace(string(p), `"blink"`, `"blink*"`, 1))
		}, fleet.CodeForbidden, "bad signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sf := newSignedFixture(t)
			r, ok := handle(context.Background(), sf.d, tt.payload(sf))
			if !ok || r.Error == nil || r.Error.Code != tt.code || !strings.Contains(r.Error.Message, tt.want) {
				t.Fatalf("reply %+v %v, want %s containing %q", r, r.Error, tt.code, tt.want)
			}
			if c := sf.calls(); len(c) != 0 {
				t.Fatalf("refused request acted on units: %v", c)
			}
		})
	}
}

func TestSignedViewerStatus(t *testing.T) {
	sf := newSignedFixture(t)
	r, _ := handle(context.Background(), sf.d, sf.signed(sf.view, "s1", "status", "", time.Minute))
	if err := r.Err(); err != nil {
		t.Fatalf("viewer status: %v", err)
	}
}

// TestSignedReplay: a captured request published again runs once: the
// copy gets the cached reply while the cache has it, and forbidden after,
// for as long as the request is valid; a copy with another "from" is not
// a way around it.
func TestSignedReplay(t *testing.T) {
	sf := newSignedFixture(t)
	ctx := context.Background()
	p := sf.signed(sf.operator, "r1", "task.restart", `{"name":"blink"}`, 9*time.Minute)
	if r, _ := handle(ctx, sf.d, p); r.Err() != nil {
		t.Fatalf("first: %v", r.Err())
	}
	if r, ok := handle(ctx, sf.d, p); !ok || r.Err() != nil {
		t.Fatalf("replay while cached: %v %v, want the cached success", ok, r.Err())
	}
	moved := []byte(strings.Replace(string(p), `"from":"op1"`, `"from":"eve"`, 1))
	if r, _ := handle(ctx, sf.d, moved); r.Error == nil || r.Error.Code != fleet.CodeForbidden {
		t.Fatalf("replay from another sender: %+v", r)
	}
	sf.clock.Advance(8 * time.Minute) // past the reply cache's TTL, within exp
	if r, _ := handle(ctx, sf.d, p); r.Error == nil || !strings.Contains(r.Error.Message, "already used") {
		t.Fatalf("replay after the cache forgot: %+v %v", r, r.Error)
	}
	if c := sf.calls(); len(c) != 1 {
		t.Fatalf("unit calls %v, want exactly one restart", c)
	}
}

// TestSignedReplayUnderLoad: with room for only 2 ids, a flood of fresh
// requests does not make an old one runnable again.
func TestSignedReplayUnderLoad(t *testing.T) {
	sf := newSignedFixture(t, withReplayBound(2))
	ctx := context.Background()
	first := sf.signed(sf.operator, "old", "task.restart", `{"name":"blink"}`, time.Minute)
	handle(ctx, sf.d, first)
	for i := range 5 {
		sf.clock.Advance(time.Second)
		handle(ctx, sf.d, sf.signed(sf.operator, fmt.Sprint("new", i), "ping", "", 2*time.Minute))
	}
	sf.d.cache = newReplyCache(sf.clock, 0, 0) // the reply cache forgot too
	if r, _ := handle(ctx, sf.d, first); r.Error == nil || r.Error.Code != fleet.CodeForbidden {
		t.Fatalf("old request replayed after the flood: %+v", r)
	}
	if c := sf.calls(); len(c) != 1 {
		t.Fatalf("unit calls %v, want one", c)
	}
	if n := sf.d.replay.len(); n > 2 {
		t.Fatalf("guard holds %d ids, bound 2", n)
	}
}

func TestReplayGuard(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	g := newReplayGuard(2)
	if st := g.admit("a", now.Add(time.Minute), now); st != admitFresh {
		t.Fatalf("a: %v", st)
	}
	if st := g.admit("a", now.Add(time.Minute), now); st != admitSeen {
		t.Fatalf("a again: %v", st)
	}
	g.admit("b", now.Add(3*time.Minute), now)
	g.admit("c", now.Add(2*time.Minute), now) // evicts a (earliest exp): floor = a's exp
	if st := g.admit("a", now.Add(time.Minute), now); st != admitUnknowable {
		t.Fatalf("evicted a: %v, want unknowable", st)
	}
	if st := g.admit("d", now.Add(90*time.Second), now); st != admitFresh {
		t.Fatalf("d after the floor: %v", st)
	}
	later := now.Add(4 * time.Minute)
	if st := g.admit("b", later.Add(time.Minute), later); st != admitFresh || g.len() != 1 {
		t.Fatalf("after every exp passed: %v, len %d", st, g.len())
	}
}

func BenchmarkReplayGuardAdmit(b *testing.B) {
	g := newReplayGuard(0)
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.admit(fmt.Sprint(i), now.Add(time.Duration(i)*time.Millisecond), now)
	}
}
