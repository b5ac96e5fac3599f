package config

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/jobspec"
)

// Defaults of the keys documented in docs/configuration.md.
const (
	DefaultPrefix         = "drover"
	DefaultMetricsListen  = "127.0.0.1:9110"
	DefaultMetricsPublish = 30 * time.Second
	DefaultKeepalive      = 30 * time.Second
	DefaultOfflineQueue   = 1000
	DefaultStatusInterval = 60 * time.Second
	DefaultJournalRecords = 10000
	DefaultJournalFileMax = Size(10 * 1000 * 1000)
	DefaultOutboxMaxBytes = Size(16 * 1000 * 1000)
	DefaultOutboxMaxAge   = 7 * 24 * time.Hour
	DefaultOutboxSync     = time.Second
	DefaultStopTimeout    = 10 * time.Second
	DefaultBackoff        = time.Second
	DefaultMaxBackoff     = time.Minute
	DefaultBurst          = 5
	DefaultBurstWindow    = time.Minute
	DefaultCommandTimeout = jobspec.DefaultCommandTimeout
	DefaultMaxConcurrent  = jobspec.DefaultMaxConcurrent
	DefaultOTATrial       = 2 * time.Minute
	DefaultHAPrefix       = "homeassistant"
)

// system is what the defaults read outside the file: injected for tests.
type system struct {
	hostname func() (string, error)
	uid      int
	getenv   func(string) string
	home     func() (string, error)
}

func realSystem() system {
	return system{hostname: os.Hostname, uid: os.Getuid(), getenv: os.Getenv, home: os.UserHomeDir}
}

// Default returns the configuration used when there is no file.
func Default() *Config {
	c := &Config{}
	c.applyDefaults(realSystem())
	return c
}

// applyDefaults fills every unset key; it is the one place defaults live.
func (c *Config) applyDefaults(sys system) {
	if c.ID == "" {
		host, _ := sys.hostname()
		c.ID = SanitizeID(host)
	}
	setDefault(&c.Prefix, DefaultPrefix)
	if c.DataDir == "" {
		c.DataDir = defaultDataDir(sys)
	}
	setDefault(&c.Broker.ClientID, "drover-"+c.ID)
	setDefault(&c.Broker.Keepalive, Duration(DefaultKeepalive))
	setDefault(&c.Broker.OfflineQueue, DefaultOfflineQueue)
	setDefault(&c.Metrics.Listen, DefaultMetricsListen)
	c.Metrics.Enabled = orTrue(c.Metrics.Enabled)
	setDefault(&c.StatusInterval, Duration(DefaultStatusInterval))
	setDefault(&c.Journal.Records, DefaultJournalRecords)
	setDefault(&c.Journal.FileMax, DefaultJournalFileMax)
	setDefault(&c.Outbox.MaxBytes, DefaultOutboxMaxBytes)
	setDefault(&c.Outbox.MaxAge, Duration(DefaultOutboxMaxAge))
	if c.Outbox.SyncInterval == nil {
		d := Duration(DefaultOutboxSync)
		c.Outbox.SyncInterval = &d
	}
	setDefault(&c.OTA.Trial, Duration(DefaultOTATrial))
	setDefault(&c.HomeAssistant.Prefix, DefaultHAPrefix)
	for i := range c.Services {
		c.Services[i].applyDefaults()
	}
	for i := range c.Jobs {
		c.Jobs[i].ApplyDefaults()
	}
}

func (s *Service) applyDefaults() {
	setDefault(&s.Kind, KindExec)
	s.Enabled = orTrue(s.Enabled)
	setDefault(&s.StopTimeout, Duration(DefaultStopTimeout))
	r := &s.Restart
	setDefault(&r.Policy, RestartOnFailure)
	setDefault(&r.Backoff, Duration(DefaultBackoff))
	setDefault(&r.MaxBackoff, Duration(DefaultMaxBackoff))
	setDefault(&r.Burst, DefaultBurst)
	setDefault(&r.Window, Duration(DefaultBurstWindow))
}

// SanitizeID turns a host name into a valid device id: lower case, every
// other character replaced by '-', leading punctuation dropped, at most 63
// characters; "device" when nothing is left, and "device-ota" for the
// reserved "ota".
func SanitizeID(host string) string {
	id := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '-'
	}, strings.ToLower(host))
	id = strings.TrimLeft(id, "._-")
	if len(id) > 63 {
		id = id[:63]
	}
	switch id {
	case "":
		return "device"
	case fleet.ReservedDeviceID:
		return "device-" + id
	}
	return id
}

// defaultDataDir is /var/lib/drover for root, else the XDG state dir.
func defaultDataDir(sys system) string {
	if sys.uid == 0 {
		return "/var/lib/drover"
	}
	if state := sys.getenv("XDG_STATE_HOME"); filepath.IsAbs(state) {
		return filepath.Join(state, "drover")
	}
	if home, err := sys.home(); err == nil && home != "" {
		return filepath.Join(home, ".local", "state", "drover")
	}
	return filepath.Join(os.TempDir(), "drover")
}

func setDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}

func orTrue(b *bool) *bool {
	if b != nil {
		return b
	}
	t := true
	return &t
}

// PublishEvery returns the metrics publish period; 0 means off.
func (m Metrics) PublishEvery() time.Duration {
	if m.PublishInterval == nil {
		return DefaultMetricsPublish
	}
	return m.PublishInterval.D()
}
