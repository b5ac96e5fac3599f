package config

import (
	"fmt"
	"strings"
)

// Warnings are advice about a valid configuration that may still not work
// everywhere: `agent check-config` prints them and the agent logs them at
// start.
func (c *Config) Warnings() []string {
	var w []string
	for _, f := range []struct{ key, value string }{{"id", c.ID}, {"prefix", c.Prefix}} {
		if strings.ContainsAny(f.value, ". ") {
			w = append(w, fmt.Sprintf("%s %q contains '.' or ' ': NATS (2.9) refuses such MQTT topics "+
				"and closes the connection; use '-' if the broker may be NATS", f.key, f.value))
		}
	}
	return w
}
