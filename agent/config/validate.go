package config

import (
	"fmt"
	"net"
	"strings"

	"aead.dev/minisign"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/jobspec"

	"github.com/drover-iot/drover/internal/mqttopts"
	"github.com/drover-iot/drover/internal/names"
)

// unitName is the charset of service, job and sensor names (jobspec's).
var unitName = jobspec.UnitName

// Validate checks a configuration whose defaults are applied and returns
// a *Problems with every problem found, or nil.
func (c *Config) Validate() error {
	return c.problems().Err()
}

func (c *Config) problems() *Problems {
	p := &Problems{File: c.file}
	c.checkID(p)
	c.checkPrefix(p)
	c.checkBroker(p)
	c.checkScalars(p)
	c.checkServices(p)
	c.checkJobs(p)
	c.checkSensors(p)
	c.checkOTA(p)
	c.checkMetrics(p)
	c.checkControl(p)
	return p
}

// CheckID returns why id is not a valid device id, or nil. The rule is the
// protocol's (fleet.ValidDeviceID), including the reserved id "ota".
func CheckID(id string) error {
	if names.Lower.Valid(id, fleet.MaxDeviceIDLen) && id != fleet.ReservedDeviceID {
		return nil
	}
	msg := "must match ^[a-z0-9][a-z0-9._-]{0,62}$"
	switch {
	case id == fleet.ReservedDeviceID:
		msg = "is reserved for the OTA topics (drover/ota/...)"
	case id == "":
		msg = "is empty; set it, or leave it out to use the host name"
	case strings.ContainsAny(id, "+#/"):
		msg = "must not contain '+', '#' or '/' (MQTT wildcards and topic separator)"
	case strings.ToLower(id) != id:
		msg = "must be lower case"
	case len(id) > 63:
		msg = "is longer than 63 characters"
	}
	return fmt.Errorf("device id %q %s", id, msg)
}

func (c *Config) checkID(p *Problems) {
	if err := CheckID(c.ID); err != nil {
		p.Add(c.pos, "id", "%v", err)
	}
}

func (c *Config) checkPrefix(p *Problems) {
	if c.Prefix == "" || strings.ContainsAny(c.Prefix, "+#") ||
		strings.HasPrefix(c.Prefix, "/") || strings.HasSuffix(c.Prefix, "/") {
		p.Add(c.pos, "prefix", "%q is not a topic prefix: no '+', '#', and no leading or trailing '/'", c.Prefix)
	}
}

func (c *Config) checkBroker(p *Problems) {
	b := c.Broker
	if b.URL != "" && len(b.URLs) > 0 {
		p.Add(c.pos, "broker.urls", "set url or urls, not both")
	}
	key := "broker.url"
	if len(b.URLs) > 0 {
		key = "broker.urls"
	}
	for _, u := range b.List() {
		if mqttopts.CheckURL(u) != nil {
			p.Add(c.pos, key, "%q is not a broker URL such as tcp://host:1883 (schemes: %s)",
				u, strings.Join(mqttopts.Schemes, ", "))
		}
	}
	if b.Password != "" && b.PasswordFile != "" {
		p.Add(c.pos, "broker.password_file", "set password or password_file, not both")
	}
	if (b.TLS.Cert == "") != (b.TLS.Key == "") {
		p.Add(c.pos, "broker.tls", "cert and key go together: set both or neither")
	}
	c.positive(p, "broker.keepalive", b.Keepalive)
	if b.OfflineQueue < 1 {
		p.Add(c.pos, "broker.offline_queue", "must be at least 1, not %d", b.OfflineQueue)
	}
}

func (c *Config) checkScalars(p *Problems) {
	if *c.Metrics.Enabled {
		if _, _, err := net.SplitHostPort(c.Metrics.Listen); err != nil {
			p.Add(c.pos, "metrics.listen", "%q is not host:port", c.Metrics.Listen)
		}
	}
	c.positive(p, "status_interval", c.StatusInterval)
	if c.Journal.Records < 1 {
		p.Add(c.pos, "journal.records", "must be at least 1, not %d", c.Journal.Records)
	}
	if c.Journal.FileMax < 4096 {
		p.Add(c.pos, "journal.file_max", "must be at least 4KiB, not %s", c.Journal.FileMax)
	}
	if c.Outbox.MaxBytes < 64*1024 {
		p.Add(c.pos, "outbox.max_bytes", "must be at least 64KiB, not %s", c.Outbox.MaxBytes)
	}
	c.positive(p, "outbox.max_age", c.Outbox.MaxAge)
	if c.Outbox.SyncInterval != nil {
		c.nonNegative(p, "outbox.sync_interval", *c.Outbox.SyncInterval)
	}
}

func (c *Config) checkOTA(p *Problems) {
	for i, key := range c.OTA.TrustedKeys {
		var pk minisign.PublicKey
		if err := pk.UnmarshalText([]byte(key)); err != nil {
			p.Add(c.pos, fmt.Sprintf("ota.trusted_keys[%d]", i), "not a minisign public key: %v", err)
		}
	}
	c.positive(p, "ota.trial", c.OTA.Trial)
}

func (c *Config) checkMetrics(p *Problems) {
	if c.Metrics.PublishInterval != nil {
		c.nonNegative(p, "metrics.publish_interval", *c.Metrics.PublishInterval)
	}
}

func (c *Config) checkControl(p *Problems) {
	for i, k := range c.Control.Keys {
		path := fmt.Sprintf("control.keys[%d]", i)
		var pk minisign.PublicKey
		if err := pk.UnmarshalText([]byte(k.Key)); err != nil {
			p.Add(c.pos, path+".key", "not a minisign public key: %v", err)
		}
		if !fleet.Role(k.Role).Valid() {
			p.Add(c.pos, path+".role", "%q is not a role: want viewer, operator or admin", k.Role)
		}
	}
}

// check is the shared checker writing to p.
func (c *Config) check(p *Problems) jobspec.Checker { return jobspec.Checker{Pos: c.pos, P: p} }

// positive reports a duration that is zero or negative.
func (c *Config) positive(p *Problems, path string, d Duration) { c.check(p).Positive(path, d) }

// nonNegative reports a negative duration.
func (c *Config) nonNegative(p *Problems, path string, d Duration) { c.check(p).NonNegative(path, d) }

// oneOf reports a value outside the allowed set.
func (c *Config) oneOf(p *Problems, path, v string, allowed ...string) {
	c.check(p).OneOf(path, v, allowed...)
}

// checkName reports a bad or duplicate unit name; seen collects names.
func (c *Config) checkName(p *Problems, path, what, name string, seen map[string]string) {
	c.check(p).Name(path, what, name, seen)
}
