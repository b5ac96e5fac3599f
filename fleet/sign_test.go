package fleet

import (
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// testSigner is a raw Ed25519 key standing in for a minisign secret key.
type testSigner struct {
	id   string
	priv ed25519.PrivateKey
}

func newTestSigner(t testing.TB, id string) testSigner {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return testSigner{id: id, priv: priv}
}

func (s testSigner) ID() string                    { return s.id }
func (s testSigner) SignEd25519(msg []byte) []byte { return ed25519.Sign(s.priv, msg) }
func (s testSigner) trusted(r Role) TrustedKey {
	return TrustedKey{ID: s.id, Public: s.priv.Public().(ed25519.PublicKey), Role: r}
}

var signNow = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

func signedRequest(s Signer, dev, cmd, args string, exp time.Time) Request {
	req := Request{V: Version, ID: "r1", Cmd: cmd, From: "ctl", Exp: &exp}
	if args != "" {
		req.Args = json.RawMessage(args)
	}
	SignRequest(s, dev, &req)
	return req
}

func TestAuthorize(t *testing.T) {
	op, view, stranger := newTestSigner(t, "00000000000000AA"), newTestSigner(t, "00000000000000BB"), newTestSigner(t, "00000000000000CC")
	kr, err := NewKeyring(op.trusted(RoleOperator), view.trusted(RoleViewer))
	if err != nil {
		t.Fatal(err)
	}
	soon := signNow.Add(time.Minute)
	tests := []struct {
		name string
		req  func() Request
		code Code
		want string
	}{
		{"operator task.stop", func() Request { return signedRequest(op, "d1", CmdTaskStop, `{"name":"x"}`, soon) }, "", ""},
		{"viewer status", func() Request { return signedRequest(view, "d1", CmdStatus, "", soon) }, "", ""},
		{"viewer task.stop", func() Request { return signedRequest(view, "d1", CmdTaskStop, `{"name":"x"}`, soon) }, CodeForbidden, "role viewer; task.stop needs operator"},
		{"operator config.get", func() Request { return signedRequest(op, "d1", CmdConfigGet, "", soon) }, CodeForbidden, "needs admin"},
		{"unsigned", func() Request { return Request{V: Version, ID: "r", Cmd: CmdPing, Exp: &soon} }, CodeForbidden, "unsigned"},
		{"unknown key", func() Request { return signedRequest(stranger, "d1", CmdPing, "", soon) }, CodeForbidden, "unknown key"},
		{"other device", func() Request { return signedRequest(op, "d2", CmdPing, "", soon) }, CodeForbidden, `signed for device "d2"`},
		{"other device, dev hint removed", func() Request {
			r := signedRequest(op, "d2", CmdPing, "", soon)
			r.Sig.Dev = ""
			return r
		}, CodeForbidden, "bad signature"},
		{"args altered", func() Request {
			r := signedRequest(op, "d1", CmdTaskStop, `{"name":"x"}`, soon)
			r.Args = json.RawMessage(`{"name":"*"}`)
			return r
		}, CodeForbidden, "bad signature"},
		{"from altered", func() Request {
			r := signedRequest(op, "d1", CmdPing, "", soon)
			r.From = "eve"
			return r
		}, CodeForbidden, "bad signature"},
		{"id altered", func() Request {
			r := signedRequest(op, "d1", CmdPing, "", soon)
			r.ID = "r2"
			return r
		}, CodeForbidden, "bad signature"},
		{"exp extended", func() Request {
			r := signedRequest(op, "d1", CmdPing, "", soon)
			later := soon.Add(time.Minute)
			r.Exp = &later
			return r
		}, CodeForbidden, "bad signature"},
		{"no exp", func() Request {
			r := signedRequest(op, "d1", CmdPing, "", soon)
			r.Exp = nil
			return r
		}, CodeForbidden, "without exp"},
		{"expired", func() Request { return signedRequest(op, "d1", CmdPing, "", signNow.Add(-time.Second)) }, CodeExpired, "expired at"},
		{"exp too far", func() Request { return signedRequest(op, "d1", CmdPing, "", signNow.Add(11*time.Minute)) }, CodeForbidden, "more than 10m0s ahead"},
		{"short signature", func() Request {
			r := signedRequest(op, "d1", CmdPing, "", soon)
			r.Sig.Ed25519 = r.Sig.Ed25519[:10]
			return r
		}, CodeForbidden, "bad signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := kr.Authorize("d1", tt.req(), signNow)
			if tt.code == "" {
				if e != nil {
					t.Fatalf("refused: %v", e)
				}
				return
			}
			if e == nil || e.Code != tt.code || !strings.Contains(e.Message, tt.want) {
				t.Fatalf("got %v, want %s containing %q", e, tt.code, tt.want)
			}
		})
	}
}

// TestSignedRequestWire: a signed request survives encoding, re-indenting
// of its args and decoding, and still verifies.
func TestSignedRequestWire(t *testing.T) {
	op := newTestSigner(t, "00000000000000AA")
	kr, _ := NewKeyring(op.trusted(RoleAdmin))
	req := signedRequest(op, "d1", CmdTaskStop, `{"name":"x"}`, signNow.Add(time.Minute))
	payload, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	payload = []byte(strings.Replace(string(payload), `{"name":"x"}`, "{ \"name\" :\n \"x\" }", 1))
	got, perr := DecodeRequest(payload, 0, signNow)
	if perr != nil {
		t.Fatalf("decode: %v\n%s", perr, payload)
	}
	if e := kr.Authorize("d1", got, signNow); e != nil {
		t.Fatalf("decoded request refused: %v\n%s", e, payload)
	}
}

func TestDecodeBadSig(t *testing.T) {
	for _, s := range []string{`"x"`, `{"key":"A"}`, `{"key":"A","ed25519":"not base64!"}`, `{"ed25519":"AAAA"}`} {
		payload := `{"v":1,"id":"a","cmd":"ping","sig":` + s + `}`
		if _, e := DecodeRequest([]byte(payload), 0, signNow); e == nil || e.Code != CodeBadRequest {
			t.Errorf("sig %s: got %v, want bad_request", s, e)
		}
	}
}

func TestNewKeyringErrors(t *testing.T) {
	s := newTestSigner(t, "00000000000000AA")
	for name, keys := range map[string][]TrustedKey{
		"none":     nil,
		"short":    {{ID: "A", Public: make([]byte, 5), Role: RoleAdmin}},
		"role":     {s.trusted("root")},
		"repeated": {s.trusted(RoleViewer), s.trusted(RoleAdmin)},
	} {
		if _, err := NewKeyring(keys...); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestVerifyDocument(t *testing.T) {
	op, adm := newTestSigner(t, "00000000000000AA"), newTestSigner(t, "00000000000000BB")
	kr, _ := NewKeyring(op.trusted(RoleOperator), adm.trusted(RoleAdmin))
	body := []byte(`{"name":"g1","selector":"site=a"}`)
	sig := SignDocument(op, "group", body)
	if k, err := kr.VerifyDocument("group", body, &sig, RoleOperator); err != nil || k.ID != op.id {
		t.Fatalf("valid document: %v %v", k, err)
	}
	for name, check := range map[string]func() error{
		"other body": func() error { _, err := kr.VerifyDocument("group", []byte(`{}`), &sig, RoleOperator); return err },
		"other kind": func() error { _, err := kr.VerifyDocument("rollout", body, &sig, RoleOperator); return err },
		"role":       func() error { _, err := kr.VerifyDocument("group", body, &sig, RoleAdmin); return err },
		"unsigned":   func() error { _, err := kr.VerifyDocument("group", body, nil, RoleViewer); return err },
	} {
		if err := check(); err == nil || !strings.HasPrefix(err.Error(), "forbidden") {
			t.Errorf("%s: got %v, want forbidden", name, err)
		}
	}
}

// FuzzSignedRequest decodes and authorizes outside input: it never panics,
// and a request accepted by Authorize is one the trusted key signed.
func FuzzSignedRequest(f *testing.F) {
	op := newTestSigner(f, "00000000000000AA")
	kr, _ := NewKeyring(op.trusted(RoleOperator))
	good, _ := json.Marshal(signedRequest(op, "d1", CmdTaskStop, `{"name":"x"}`, signNow.Add(time.Minute)))
	for _, s := range []string{string(good), `{"v":1,"id":"a","cmd":"ping","sig":{"key":"00000000000000AA","ed25519":"AAAA"}}`,
		`{"v":1,"id":"a","cmd":"ping","exp":"2026-12-05T12:01:00Z","sig":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		req, e := DecodeRequest(payload, 0, signNow)
		if e != nil {
			return
		}
		if kr.Authorize("d1", req, signNow) != nil {
			return
		}
		if !ed25519.Verify(op.priv.Public().(ed25519.PublicKey), CanonicalRequest("d1", req), req.Sig.Ed25519) {
			t.Fatalf("accepted a request the key did not sign: %s", payload)
		}
	})
}

// FuzzCanonicalRequest: two requests have the same canonical bytes only
// when they agree on every signed field.
func FuzzCanonicalRequest(f *testing.F) {
	f.Add("d1", "ctl", "ping", "", "r1", "d1", "ctl", "ping", "", "r1")
	f.Add("d1", "ctl", "task.stop", `{"name":"x"}`, "r1", "d1c", "tl", "task.stop", `{"name":"x"}`, "r1")
	f.Add("d", "", "a", "{}", "b", "", "d", "a", "{ }", "b")
	f.Fuzz(func(t *testing.T, dev1, from1, cmd1, args1, id1, dev2, from2, cmd2, args2, id2 string) {
		r1 := Request{From: from1, Cmd: cmd1, Args: json.RawMessage(args1), ID: id1}
		r2 := Request{From: from2, Cmd: cmd2, Args: json.RawMessage(args2), ID: id2}
		same := dev1 == dev2 && from1 == from2 && cmd1 == cmd2 && id1 == id2 &&
			string(compactArgs(r1.Args)) == string(compactArgs(r2.Args))
		if got := string(CanonicalRequest(dev1, r1)) == string(CanonicalRequest(dev2, r2)); got != same {
			t.Fatalf("canonical equal = %v, fields equal = %v: %q %q", got, same, CanonicalRequest(dev1, r1), CanonicalRequest(dev2, r2))
		}
	})
}

// BenchmarkAuthorize is the cost a device pays to check one signed
// request: canonical bytes, key lookup, one Ed25519 verification.
func BenchmarkAuthorize(b *testing.B) {
	op := newTestSigner(b, "00000000000000AA")
	kr, _ := NewKeyring(op.trusted(RoleOperator))
	req := signedRequest(op, "d1", CmdTaskRestart, `{"name":"blink"}`, signNow.Add(time.Minute))
	b.ReportAllocs()
	for b.Loop() {
		if e := kr.Authorize("d1", req, signNow); e != nil {
			b.Fatal(e)
		}
	}
}
