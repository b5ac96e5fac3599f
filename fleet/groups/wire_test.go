package groups

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

type testSigner struct {
	id   string
	priv ed25519.PrivateKey
}

func newSigner(t testing.TB, id string) testSigner {
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return testSigner{id: id, priv: priv}
}

func (s testSigner) ID() string                    { return s.id }
func (s testSigner) SignEd25519(msg []byte) []byte { return ed25519.Sign(s.priv, msg) }
func (s testSigner) trusted(r fleet.Role) fleet.TrustedKey {
	return fleet.TrustedKey{ID: s.id, Public: s.priv.Public().(ed25519.PublicKey), Role: r}
}

func parsed(t *testing.T) Group {
	gs, err := ParseFile([]byte(goodFile), "fleet.yaml")
	if err != nil {
		t.Fatal(err)
	}
	gs[0].Generation = 7
	return gs[0]
}

// TestEncodeDecode: the device sees the group fleetctl parsed, with the
// same hash.
func TestEncodeDecode(t *testing.T) {
	g := parsed(t)
	payload, err := Encode(g, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, env, err := Decode(payload)
	if err != nil {
		t.Fatal(err)
	}
	if got.Hash() != g.Hash() || got.Generation != 7 || got.Name != g.Name || env.Sig != nil {
		t.Errorf("decoded %+v (hash %s); want %+v (hash %s)", got, got.Hash(), g, g.Hash())
	}
	g.Jobs[0].Schedule = "every 5m"
	if got.Hash() == g.Hash() {
		t.Error("hash did not change with the schedule")
	}
}

func TestVerify(t *testing.T) {
	op, view, other := newSigner(t, "OP"), newSigner(t, "VIEW"), newSigner(t, "OTHER")
	kr, err := fleet.NewKeyring(op.trusted(fleet.RoleOperator), view.trusted(fleet.RoleViewer))
	if err != nil {
		t.Fatal(err)
	}
	g := parsed(t)
	for _, tc := range []struct {
		name   string
		signer fleet.Signer
		tamper bool
		want   string
	}{
		{"operator", op, false, ""},
		{"unsigned", nil, false, "unsigned group"},
		{"viewer", view, false, "a group needs operator"},
		{"unknown key", other, false, "unknown key"},
		{"forged", op, true, "bad signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			payload, err := Encode(g, tc.signer)
			if err != nil {
				t.Fatal(err)
			}
			if tc.tamper {
				payload = []byte(strings.Replace(string(payload), `"generation":7`, `"generation":9`, 1))
			}
			_, env, err := Decode(payload)
			if err != nil {
				t.Fatal(err)
			}
			err = env.Verify(kr)
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Verify = %v; want %q", err, tc.want)
			}
		})
	}
}

func TestDecodeBad(t *testing.T) {
	for _, tc := range []struct {
		name, payload string
		want          error
	}{
		{"not json", "{", ErrBadDocument},
		{"no body", `{"v":1}`, ErrBadDocument},
		{"version", `{"v":2,"body":{}}`, ErrBadDocument},
		{"unknown key", `{"v":1,"body":{"name":"g","colour":1}}`, ErrBadDocument},
		{"too large", `{"v":1,"body":"` + strings.Repeat("x", MaxDocumentSize) + `"}`, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Decode([]byte(tc.payload)); !errors.Is(err, tc.want) {
				t.Errorf("Decode = %v; want %v", err, tc.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	payload, _ := Encode(Group{Name: "g", Selector: "a=b", Generation: 1}, nil)
	f.Add(payload)
	f.Add([]byte(`{"v":1,"body":{"name":"g","jobs":[{"name":"x","schedule":"every 5m","handler":"log","timeout":"5s"}]}}`))
	f.Add([]byte(`{"v":1,"body":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, _, err := Decode(data)
		if err == nil {
			_ = g.Hash()
			_ = g.Matches(map[string]string{"a": "b"})
		}
	})
}
