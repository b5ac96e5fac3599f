package acl

import (
	"errors"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

func TestMosquitto(t *testing.T) {
	text, err := Mosquitto(fleet.Topics{Prefix: "site/a"}, Users{Operators: []string{"op"}, Viewers: []string{"graf"}, Publishers: []string{"ci"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"pattern write site/a/%u/state\n", "pattern write site/a/%u/reply/#\n", "pattern read site/a/%u/cmd\n",
		"pattern read site/a/ota/#\n", "pattern read site/a/groups/#\n",
		"user op\ntopic readwrite site/a/#\n", "user graf\ntopic read site/a/#\n",
		"user ci\ntopic readwrite site/a/ota/#\ntopic readwrite site/a/groups/#\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("ACL lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"pattern write site/a/%u/cmd", "pattern write site/a/ota", "pattern read site/a/+/"} {
		if strings.Contains(text, bad) {
			t.Errorf("ACL gives devices %q:\n%s", bad, text)
		}
	}
}

func TestMosquittoBadUsers(t *testing.T) {
	for _, u := range []Users{{Operators: []string{""}}, {Viewers: []string{"a b"}}, {Publishers: []string{"x\ntopic readwrite #"}},
		{Operators: []string{"+"}}, {Operators: []string{"a"}, Viewers: []string{"a"}}} {
		if _, err := Mosquitto(fleet.Topics{}, u); !errors.Is(err, ErrBadUser) {
			t.Errorf("%+v: err %v, want ErrBadUser", u, err)
		}
	}
}
