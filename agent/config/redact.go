package config

import (
	"maps"
	"slices"
	"strings"
)

// Mask replaces secret values in Redacted.
const Mask = "***"

// secretWords mark environment variables whose values Redacted hides.
var secretWords = []string{"PASS", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "AUTH"}

// Redacted returns a deep enough copy of c, for config.get, in which the
// broker password and the values of secret-looking environment variables
// of services (names containing PASS, SECRET, TOKEN, KEY, CREDENTIAL or
// AUTH) are replaced by Mask. c itself is not changed.
func (c *Config) Redacted() *Config {
	r := *c
	if r.Broker.Password != "" {
		r.Broker.Password = Mask
	}
	r.Services = slices.Clone(c.Services)
	for i := range r.Services {
		r.Services[i].Env = redactEnv(r.Services[i].Env)
	}
	return &r
}

func redactEnv(env map[string]string) map[string]string {
	if env == nil {
		return nil
	}
	out := maps.Clone(env)
	for k := range out {
		upper := strings.ToUpper(k)
		if slices.ContainsFunc(secretWords, func(w string) bool { return strings.Contains(upper, w) }) {
			out[k] = Mask
		}
	}
	return out
}
