package config

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Mask replaces secret values in Redacted.
const Mask = "***"

// secretWords mark keys (environment variables, args, sensor settings,
// command-line flags) whose values Redacted hides. They are matched case
// insensitively anywhere in the key.
var secretWords = []string{"PASS", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "AUTH"}

// Redacted returns a copy of c, for config.get, in which secrets are
// replaced by Mask: the broker password and the password of any URL
// (user:password@host); the values of environment variables, args and
// sensor settings whose key contains PASS, SECRET, TOKEN, KEY, CREDENTIAL
// or AUTH; and the value of such a flag in a command argv ("--token=x",
// "--token x"). File paths (password_file, TLS files) are not secrets and
// are kept. c itself is not changed.
func (c *Config) Redacted() *Config {
	r := *c
	if r.Broker.Password != "" {
		r.Broker.Password = Mask
	}
	r.Broker.URL = redactURL(r.Broker.URL)
	r.Broker.URLs = make([]string, len(c.Broker.URLs))
	for i, u := range c.Broker.URLs {
		r.Broker.URLs[i] = redactURL(u)
	}
	r.Services = slices.Clone(c.Services)
	for i := range r.Services {
		s := &r.Services[i]
		s.Env = redactEnv(s.Env)
		s.Args = redactMap(s.Args)
		s.Command = redactArgv(s.Command)
	}
	r.Jobs = slices.Clone(c.Jobs)
	for i := range r.Jobs {
		j := &r.Jobs[i]
		j.Args = redactMap(j.Args)
		j.Command = redactArgv(j.Command)
	}
	r.Sensors = slices.Clone(c.Sensors)
	for i := range r.Sensors {
		r.Sensors[i].Node = *redactNode(&c.Sensors[i].Node)
	}
	return &r
}

// isSecretKey reports whether a key names a secret.
func isSecretKey(k string) bool {
	upper := strings.ToUpper(k)
	return slices.ContainsFunc(secretWords, func(w string) bool { return strings.Contains(upper, w) })
}

// redactURL masks the password of a URL with user information; any other
// string is returned as it is.
func redactURL(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); !has {
		return s
	}
	u.User = url.UserPassword(u.User.Username(), Mask)
	return u.String()
}

func redactEnv(env map[string]string) map[string]string {
	if env == nil {
		return nil
	}
	out := maps.Clone(env)
	for k, v := range out {
		if isSecretKey(k) {
			out[k] = Mask
		} else {
			out[k] = redactURL(v)
		}
	}
	return out
}

// redactMap copies m, masking secret keys and URL passwords at any depth.
func redactMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if isSecretKey(k) {
			out[k] = Mask
		} else {
			out[k] = redactValue(v)
		}
	}
	return out
}

func redactValue(v any) any {
	switch v := v.(type) {
	case string:
		return redactURL(v)
	case map[string]any:
		return redactMap(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = redactValue(e)
		}
		return out
	}
	return v
}

// redactArgv copies argv, masking the value of secret flags ("--token=x",
// or "--token x") and URL passwords.
func redactArgv(argv []string) []string {
	if argv == nil {
		return nil
	}
	out := make([]string, len(argv))
	for i, a := range argv {
		flag, _, hasValue := strings.Cut(a, "=")
		switch {
		case strings.HasPrefix(a, "-") && hasValue && isSecretKey(flag):
			out[i] = flag + "=" + Mask
		case i > 0 && isSecretFlag(argv[i-1]):
			out[i] = Mask
		default:
			out[i] = redactURL(a)
		}
	}
	return out
}

// isSecretFlag reports a flag such as "--password" whose value is the next
// argument.
func isSecretFlag(a string) bool {
	return strings.HasPrefix(a, "-") && !strings.Contains(a, "=") && isSecretKey(a)
}

// redactNode returns a deep copy of a YAML node with the values of secret
// keys masked and URL passwords hidden. Aliases point to the copy of their
// anchor, and each node is copied once, so alias chains cannot blow it up.
func redactNode(n *yaml.Node) *yaml.Node {
	return copyRedacted(n, map[*yaml.Node]*yaml.Node{})
}

func copyRedacted(n *yaml.Node, seen map[*yaml.Node]*yaml.Node) *yaml.Node {
	if c, ok := seen[n]; ok {
		return c
	}
	c := *n
	seen[n] = &c
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		c.Content[i] = copyRedacted(child, seen)
	}
	if n.Alias != nil {
		c.Alias = copyRedacted(n.Alias, seen)
	}
	switch c.Kind {
	case yaml.ScalarNode:
		c.Value = redactURL(c.Value)
	case yaml.MappingNode:
		for i := 0; i+1 < len(c.Content); i += 2 {
			if v := c.Content[i+1]; isSecretKey(c.Content[i].Value) {
				c.Content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: Mask, Line: v.Line, Column: v.Column}
			}
		}
	}
	return &c
}
