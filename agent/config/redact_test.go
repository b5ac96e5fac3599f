package config

import (
	"encoding/json"
	"strings"
	"testing"
)

const secretDoc = `id: dev
broker: {url: "tcp://bob:urlpw@b:1883", username: u, password: hunter2, tls: {cert: /etc/drover/client.pem, key: /etc/drover/client.key}}
services:
  - name: s
    command: [/bin/prog, --api-token=argtok, --password, nextpw, --verbose, "https://ann:cmdurlpw@h/x"]
    env: {API_TOKEN: t0k, db_password: pw, LOG_LEVEL: info, DSN: "postgres://me:envurlpw@db/x"}
    args: {secret: svcsecret, nested: {auth_header: hdr, port: 8080}, list: ["ftp://x:listpw@h"]}
jobs:
  - name: j
    schedule: every 1h
    command: [/bin/backup, --key, jobkey]
    args: {Password: jobpw, mode: full}
sensors:
  - name: cloud
    driver: http
    url: "https://cam:sensorurlpw@cam.local/"
    credentials: {user: cam, token: sensortok}
    interval: 10s
`

func TestRedacted(t *testing.T) {
	c, err := parseLax([]byte(secretDoc), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(c.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	out := string(data)
	secrets := []string{"hunter2", "urlpw", "argtok", "nextpw", "cmdurlpw", "t0k", `"pw"`, "envurlpw",
		"svcsecret", "hdr", "listpw", "jobkey", "jobpw", "sensorurlpw", "sensortok"}
	for _, secret := range secrets {
		t.Run("hides "+secret, func(t *testing.T) {
			if strings.Contains(out, secret) {
				t.Errorf("redacted JSON leaks %s: %s", secret, out)
			}
		})
	}
	kept := []string{`"username":"u"`, "bob", "/etc/drover/client.key", `"LOG_LEVEL":"info"`, "--verbose",
		`"port":8080`, `"mode":"full"`, `"interval":"10s"`, "cam.local", "--password", "--api-token=***"}
	for _, want := range kept {
		t.Run("keeps "+want, func(t *testing.T) {
			if !strings.Contains(out, want) {
				t.Errorf("redacted JSON lost %s: %s", want, out)
			}
		})
	}
}

func TestRedactedLeavesOriginal(t *testing.T) {
	c, err := parseLax([]byte(secretDoc), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	before, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	c.Redacted()
	after, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) || !strings.Contains(string(after), "sensortok") {
		t.Errorf("Redacted modified the original:\nbefore %s\nafter  %s", before, after)
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"tcp://b:1883", "tcp://b:1883"},
		{"tcp://user@b:1883", "tcp://user@b:1883"},
		{"tcp://user:pw@b:1883", "tcp://user:%2A%2A%2A@b:1883"},
		{"not a url @ all", "not a url @ all"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := redactURL(tt.in); got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRedactNodeAliases: a sensor setting that aliases a secret anchored
// elsewhere must not bring the secret back.
func TestRedactNodeAliases(t *testing.T) {
	c, err := parseLax([]byte(`id: dev
labels: {site: &creds "mqtt://u:aliaspw@h"}
sensors:
  - {name: a, driver: d, upstream: *creds, token: &tok plain}
  - {name: b, driver: d, copy: *tok}
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(c.Redacted().Sensors)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "aliaspw") {
		t.Errorf("alias leaks the URL password: %s", data)
	}
}
