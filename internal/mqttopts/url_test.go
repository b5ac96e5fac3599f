package mqttopts

import (
	"errors"
	"testing"
)

func TestBrokersInOrder(t *testing.T) {
	o, err := Options{Brokers: []string{"tcp://a:1883", "ssl://b:8883", "ws://c/mqtt"}}.ClientOptions()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range o.Servers {
		got = append(got, u.String())
	}
	if len(got) != 3 || got[0] != "tcp://a:1883" || got[1] != "ssl://b:8883" || got[2] != "ws://c/mqtt" {
		t.Errorf("servers = %v, want the three in order", got)
	}
}

func TestCheckURL(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"tcp://h:1883", true}, {"mqtts://h", true}, {"wss://h/mqtt", true},
		{"http://h", false}, {"h:1883", false}, {"tcp://", false}, {"tcp://h:x y", false}, {"", false},
	} {
		err := CheckURL(tt.url)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrURL)) {
			t.Errorf("CheckURL(%q) = %v, want ok %v", tt.url, err, tt.ok)
		}
	}
	if err := CheckURLs(nil); !errors.Is(err, ErrURL) {
		t.Errorf("CheckURLs(nil) = %v, want ErrURL", err)
	}
	if err := CheckURLs([]string{"tcp://a:1", "nope"}); !errors.Is(err, ErrURL) {
		t.Errorf("CheckURLs with a bad second URL = %v, want ErrURL", err)
	}
}
