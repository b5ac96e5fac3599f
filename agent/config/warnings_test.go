package config

import (
	"strings"
	"testing"
)

func TestWarnings(t *testing.T) {
	for _, tt := range []struct {
		doc  string
		want []string
	}{
		{"id: pi-kitchen\n", nil},
		{"id: pi.kitchen\n", []string{`id "pi.kitchen"`}},
		{"id: pi\nprefix: a.b\n", []string{`prefix "a.b"`}},
	} {
		c, err := Parse([]byte(tt.doc), "test.yaml")
		if err != nil {
			t.Fatalf("%q: %v", tt.doc, err)
		}
		got := c.Warnings()
		if len(got) != len(tt.want) {
			t.Errorf("%q: warnings %q, want %d", tt.doc, got, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(got[i], w) || !strings.Contains(got[i], "NATS") {
				t.Errorf("%q: warning %q does not name %s and NATS", tt.doc, got[i], w)
			}
		}
	}
}
