package fleet_test

import (
	"errors"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

func TestSelectorMatches(t *testing.T) {
	kitchen := map[string]string{"room": "kitchen", "role": "pump"}
	tests := []struct {
		sel    string
		labels map[string]string
		want   bool
	}{
		{"", nil, true},
		{"  ", kitchen, true},
		{"room=kitchen", kitchen, true},
		{"room==kitchen", kitchen, true},
		{"room = kitchen , role = pump", kitchen, true},
		{"room=kitchen,role=gateway", kitchen, false},
		{"room=hall", kitchen, false},
		{"room=", map[string]string{"room": ""}, true},
		{"room=", kitchen, false},
		{"room!=hall", kitchen, true},
		{"room!=kitchen", kitchen, false},
		{"site!=x", kitchen, true}, // absent counts as different
		{"room in (hall,kitchen)", kitchen, true},
		{"room in (hall)", kitchen, false},
		{"site in (a)", kitchen, false},
		{"room notin (hall,kitchen)", kitchen, false},
		{"room notin (hall)", kitchen, true},
		{"site notin (a)", kitchen, true},
		{"room", kitchen, true},
		{"site", kitchen, false},
		{"!site", kitchen, true},
		{"!room", kitchen, false},
		{"in=1", map[string]string{"in": "1"}, true},
		{"app.kubernetes.io/name=x", map[string]string{"app.kubernetes.io/name": "x"}, true},
		{"room in (hall,kitchen),role!=gateway,!broken", kitchen, true},
	}
	for _, tt := range tests {
		t.Run(tt.sel, func(t *testing.T) {
			sel, err := fleet.ParseSelector(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			if got := sel.Matches(tt.labels); got != tt.want {
				t.Errorf("Matches(%v) = %v, want %v", tt.labels, got, tt.want)
			}
			again, err := fleet.ParseSelector(sel.String())
			if err != nil || again.String() != sel.String() {
				t.Errorf("String() %q does not parse back: %v, %q", sel.String(), err, again.String())
			}
		})
	}
}

func TestSelectorErrors(t *testing.T) {
	for _, in := range []string{
		"=1", "a=1,", ",a=1", "a=1,,b=2", "!", "!=x", "a in", "a in ()", "a in (x", "a in (x,)",
		"a notin x", "a b", "a=1 b=2", "(a)", "a in (x))", "!a=1", "a=b=c",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := fleet.ParseSelector(in)
			if !errors.Is(err, fleet.ErrBadSelector) {
				t.Fatalf("ParseSelector(%q) = %v, want ErrBadSelector", in, err)
			}
		})
	}
}

func TestSelectorString(t *testing.T) {
	sel := fleet.MustParseSelector(" a = 1 ,b!=2, c in ( x , y ), d notin (z), e, !f")
	want := "a=1,b!=2,c in (x,y),d notin (z),e,!f"
	if got := sel.String(); got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	if n := len(sel.Requirements()); n != 6 {
		t.Fatalf("%d requirements, want 6", n)
	}
}

// FuzzParseSelector: any input either fails with ErrBadSelector or gives a
// selector whose canonical form parses back to the same selector.
func FuzzParseSelector(f *testing.F) {
	for _, s := range []string{"", "a=1", "a!=1,b", "a in (x,y)", "!a,b notin (c)", "a==", "a in (", "k=v=w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sel, err := fleet.ParseSelector(in)
		if err != nil {
			if !errors.Is(err, fleet.ErrBadSelector) {
				t.Fatalf("error %v does not wrap ErrBadSelector", err)
			}
			return
		}
		again, err := fleet.ParseSelector(sel.String())
		if err != nil || again.String() != sel.String() {
			t.Fatalf("%q -> %q does not round-trip: %v %q", in, sel.String(), err, again.String())
		}
		labels := map[string]string{}
		for _, r := range sel.Requirements() {
			if len(r.Values) > 0 {
				labels[r.Key] = r.Values[0]
			}
		}
		if sel.Matches(labels) != again.Matches(labels) {
			t.Fatalf("%q and its canonical form disagree on %v", in, labels)
		}
	})
}
