package config

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRedacted(t *testing.T) {
	c, err := Parse([]byte(`id: dev
broker: {url: tcp://b:1883, username: u, password: hunter2}
services:
  - name: s
    command: [x]
    env: {API_TOKEN: t0k, db_password: pw, LOG_LEVEL: info}
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := c.Redacted()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"hunter2", "t0k", `"pw"`} {
		if strings.Contains(string(data), secret) {
			t.Errorf("redacted JSON leaks %s: %s", secret, data)
		}
	}
	if r.Broker.Username != "u" || r.Services[0].Env["LOG_LEVEL"] != "info" || r.Services[0].Env["API_TOKEN"] != Mask {
		t.Errorf("redaction changed the wrong fields: %+v %+v", r.Broker, r.Services[0].Env)
	}
	if c.Broker.Password != "hunter2" || c.Services[0].Env["API_TOKEN"] != "t0k" {
		t.Error("Redacted modified the original")
	}
}
