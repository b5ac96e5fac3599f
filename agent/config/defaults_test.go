package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func fakeSystem(host string, uid int, env map[string]string, home string) system {
	return system{
		hostname: func() (string, error) { return host, nil },
		uid:      uid,
		getenv:   func(k string) string { return env[k] },
		home: func() (string, error) {
			if home == "" {
				return "", errors.New("no home")
			}
			return home, nil
		},
	}
}

func TestDefaultsFromSystem(t *testing.T) {
	tests := []struct {
		name            string
		sys             system
		wantID, wantDir string
	}{
		{"root", fakeSystem("Pi-Weather.LAN", 0, nil, "/root"), "pi-weather.lan", "/var/lib/drover"},
		{"user with XDG", fakeSystem("box", 1000, map[string]string{"XDG_STATE_HOME": "/x/state"}, "/home/u"),
			"box", "/x/state/drover"},
		{"user without XDG", fakeSystem("box", 1000, nil, "/home/u"), "box", "/home/u/.local/state/drover"},
		{"relative XDG ignored", fakeSystem("box", 1000, map[string]string{"XDG_STATE_HOME": "rel"}, "/home/u"),
			"box", "/home/u/.local/state/drover"},
		{"empty host", fakeSystem("", 1000, nil, "/home/u"), "device", "/home/u/.local/state/drover"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Config{}
			c.applyDefaults(tt.sys)
			if c.ID != tt.wantID || c.DataDir != tt.wantDir {
				t.Errorf("id %q dir %q, want %q %q", c.ID, c.DataDir, tt.wantID, tt.wantDir)
			}
			if c.Broker.ClientID != "drover-"+tt.wantID {
				t.Errorf("client id %q", c.Broker.ClientID)
			}
			if err := c.Validate(); err != nil {
				t.Errorf("defaults do not validate: %v", err)
			}
		})
	}
}

func TestDefaultValues(t *testing.T) {
	c, err := Parse([]byte(`id: dev
services:
  - name: s
    command: [x]
  - name: off
    command: [x]
    enabled: false
jobs:
  - {name: h, schedule: every 1m, handler: h}
  - {name: c, schedule: every 1m, command: [x], overlap: concurrent}
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"prefix", c.Prefix, "drover"},
		{"keepalive", c.Broker.Keepalive.D(), 30 * time.Second},
		{"offline queue", c.Broker.OfflineQueue, 1000},
		{"clean session", c.Broker.CleanSession, false},
		{"metrics listen", c.Metrics.Listen, "127.0.0.1:9110"},
		{"metrics enabled", *c.Metrics.Enabled, true},
		{"metrics publish", c.Metrics.PublishEvery(), 30 * time.Second},
		{"status interval", c.StatusInterval.D(), time.Minute},
		{"journal records", c.Journal.Records, 10000},
		{"journal file max", c.Journal.FileMax, Size(10_000_000)},
		{"outbox max bytes", c.Outbox.MaxBytes, Size(16_000_000)},
		{"outbox max age", c.Outbox.MaxAge, Duration(168 * time.Hour)},
		{"outbox sync interval", *c.Outbox.SyncInterval, Duration(time.Second)},
		{"ota trial", c.OTA.Trial.D(), 2 * time.Minute},
		{"service kind", c.Services[0].Kind, KindExec},
		{"service enabled", c.Services[0].IsEnabled(), true},
		{"service disabled kept", c.Services[1].IsEnabled(), false},
		{"restart policy", c.Services[0].Restart.Policy, RestartOnFailure},
		{"backoff", c.Services[0].Restart.Backoff.D(), time.Second},
		{"max backoff", c.Services[0].Restart.MaxBackoff.D(), time.Minute},
		{"burst", c.Services[0].Restart.Burst, 5},
		{"window", c.Services[0].Restart.Window.D(), time.Minute},
		{"stop timeout", c.Services[0].StopTimeout.D(), 10 * time.Second},
		{"watchdog off", c.Services[0].Watchdog.D(), time.Duration(0)},
		{"handler overlap", c.Jobs[0].Overlap, OverlapSkip},
		{"handler catch up", c.Jobs[0].CatchUp, CatchUpSkip},
		{"handler timeout", c.Jobs[0].Timeout.D(), time.Duration(0)},
		{"handler max concurrent", c.Jobs[0].MaxConcurrent, 1},
		{"command timeout", c.Jobs[1].Timeout.D(), time.Hour},
		{"concurrent max", c.Jobs[1].MaxConcurrent, 4},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestOverridesBeatFile(t *testing.T) {
	doc := []byte("id: from-file\nbroker: {url: tcp://file:1883}\n")
	c, err := ParseWith(doc, "t.yaml", Overrides{ID: "from-flag", MetricsListen: ":9999"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "from-flag" || c.Broker.ClientID != "drover-from-flag" ||
		c.Metrics.Listen != ":9999" || c.Broker.URL != "tcp://file:1883" {
		t.Errorf("got id %q client %q listen %q url %q", c.ID, c.Broker.ClientID, c.Metrics.Listen, c.Broker.URL)
	}
	if _, err := ParseWith(doc, "t.yaml", Overrides{ID: "Bad"}); err == nil {
		t.Error("a bad id from a flag must be refused")
	}
}

func TestSanitizeID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"raspberrypi", "raspberrypi"},
		{"Pi-4B.Local", "pi-4b.local"},
		{"host name/with+#", "host-name-with--"},
		{"-_.leading", "leading"},
		{"", "device"},
		{"OTA", "device-ota"},
		{"ÜBER", "ber"},
		{strings.Repeat("a", 70), strings.Repeat("a", 63)},
	}
	for _, tt := range tests {
		got := SanitizeID(tt.in)
		if got != tt.want || CheckID(got) != nil {
			t.Errorf("SanitizeID(%q) = %q (check %v), want %q", tt.in, got, CheckID(got), tt.want)
		}
	}
}

func TestCheckID(t *testing.T) {
	tests := []struct {
		id   string
		want string // part of the message, "" for valid
	}{
		{"pi-01", ""},
		{"a.b_c-9", ""},
		{"", "is empty"},
		{"Pi", "lower case"},
		{"a/b", "must not contain"},
		{"a#", "must not contain"},
		{"+", "must not contain"},
		{"-a", "must match"},
		{"ota", "reserved"},
		{"ota1", ""},
		{strings.Repeat("a", 64), "longer than 63"},
	}
	for _, tt := range tests {
		err := CheckID(tt.id)
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("CheckID(%q) = %v, want %q", tt.id, err, tt.want)
		}
	}
}

func TestMetricsPublishInterval(t *testing.T) {
	for _, tt := range []struct {
		yaml string
		want time.Duration
	}{
		{"metrics: {publish_interval: 0s}", 0},
		{"metrics: {publish_interval: 5s}", 5 * time.Second},
	} {
		c, err := Parse([]byte("id: dev\n"+tt.yaml+"\n"), "t.yaml")
		if err != nil {
			t.Fatalf("%s: %v", tt.yaml, err)
		}
		if got := c.Metrics.PublishEvery(); got != tt.want {
			t.Errorf("%s: PublishEvery = %v, want %v", tt.yaml, got, tt.want)
		}
	}
	_, err := Parse([]byte("id: dev\nmetrics: {publish_interval: -1s}\n"), "t.yaml")
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "metrics.publish_interval") {
		t.Errorf("negative publish_interval: %v; want ErrInvalid naming the key", err)
	}
}
