// Package config is the agent's YAML configuration file: its format, its
// defaults (applied in one place) and its validation, which reports every
// problem at once as "file:line: message". Unknown keys are errors. The
// file format is kept apart from run-time options: command-line flags reach
// it only through Overrides.
package config

import (
	"gopkg.in/yaml.v3"

	"github.com/drover-iot/drover/fleet/jobspec"
)

// Config is the whole agent configuration file. See docs/configuration.md
// for every key and its default.
type Config struct {
	// ID is the device id, ^[a-z0-9][a-z0-9._-]{0,62}$. Default: the host name, sanitised.
	ID string `yaml:"id" json:"id"`
	// Labels are free key/value pairs published in the birth document.
	Labels map[string]string `yaml:"labels,omitempty" json:"labels,omitempty"`
	// Prefix is the first topic level. Default: "drover".
	Prefix string `yaml:"prefix" json:"prefix"`
	// DataDir holds persisted state. Default: /var/lib/drover as root, else
	// $XDG_STATE_HOME/drover or ~/.local/state/drover.
	DataDir string `yaml:"data_dir" json:"data_dir"`
	// Broker is the MQTT connection.
	Broker Broker `yaml:"broker" json:"broker"`
	// Metrics is the Prometheus endpoint.
	Metrics Metrics `yaml:"metrics" json:"metrics"`
	// StatusInterval is the period of the status publication. Default: 60s.
	StatusInterval Duration `yaml:"status_interval" json:"status_interval"`
	// Journal sizes the in-memory log and its optional file copy.
	Journal Journal `yaml:"journal" json:"journal"`
	// Outbox bounds the on-disk outbox of QoS 1 messages.
	Outbox Outbox `yaml:"outbox" json:"outbox"`
	// Services are supervised at boot in dependency order.
	Services []Service `yaml:"services,omitempty" json:"services,omitempty"`
	// Jobs are scheduled runs of handlers or commands.
	Jobs []Job `yaml:"jobs,omitempty" json:"jobs,omitempty"`
	// Sensors are kept raw for the sensors package; only name and driver
	// are checked here.
	Sensors []Sensor `yaml:"sensors,omitempty" json:"sensors,omitempty"`
	// OTA configures signed updates.
	OTA OTA `yaml:"ota" json:"ota"`
	// HomeAssistant configures Home Assistant MQTT discovery of the sensors.
	HomeAssistant HomeAssistant `yaml:"homeassistant" json:"homeassistant"`
	// Control configures who may command the device.
	Control Control `yaml:"control" json:"control"`

	file string
	pos  jobspec.Positions
}

// Broker is the MQTT connection. An empty URL starts the embedded broker.
type Broker struct {
	// URL such as tcp://host:1883, ssl://host:8883 or ws://host/mqtt.
	// Default: "" (embedded broker on 127.0.0.1:1883).
	URL string `yaml:"url" json:"url"`
	// URLs lists several brokers (a cluster's nodes, a standby), tried in
	// order at every (re)connect; the first that accepts is used. Set url
	// or urls, not both.
	URLs     []string `yaml:"urls,omitempty" json:"urls,omitempty"`
	Username string   `yaml:"username,omitempty" json:"username,omitempty"`
	// Password is a secret: Redacted replaces it.
	Password string `yaml:"password,omitempty" json:"password,omitempty"`
	// PasswordFile is read at connect time instead of Password.
	PasswordFile string `yaml:"password_file,omitempty" json:"password_file,omitempty"`
	// ClientID is the MQTT client id. Default: "drover-<id>".
	ClientID string `yaml:"client_id" json:"client_id"`
	// Keepalive is the MQTT keep-alive. Default: 30s.
	Keepalive Duration `yaml:"keepalive" json:"keepalive"`
	// CleanSession false keeps a persistent session. Default: false.
	CleanSession bool `yaml:"clean_session" json:"clean_session"`
	TLS          TLS  `yaml:"tls,omitempty" json:"tls,omitempty"`
	// OfflineQueue bounds QoS 1 messages kept while disconnected. Default: 1000.
	OfflineQueue int `yaml:"offline_queue" json:"offline_queue"`
}

// List returns the broker URLs to try, in order: URLs, or URL alone. It is
// empty when the agent runs its embedded broker.
func (b Broker) List() []string {
	if len(b.URLs) > 0 {
		return b.URLs
	}
	if b.URL != "" {
		return []string{b.URL}
	}
	return nil
}

// Embedded reports whether no broker is configured, so that the agent
// runs its own.
func (b Broker) Embedded() bool { return len(b.List()) == 0 }

// TLS holds the broker's TLS files (PEM paths).
type TLS struct {
	CA                 string `yaml:"ca,omitempty" json:"ca,omitempty"`
	Cert               string `yaml:"cert,omitempty" json:"cert,omitempty"`
	Key                string `yaml:"key,omitempty" json:"key,omitempty"`
	ServerName         string `yaml:"server_name,omitempty" json:"server_name,omitempty"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify,omitempty" json:"insecure_skip_verify,omitempty"`
}

// Metrics is the Prometheus /metrics endpoint.
type Metrics struct {
	// Listen is host:port. Default: "127.0.0.1:9110".
	Listen string `yaml:"listen" json:"listen"`
	// Enabled serves /metrics. Default: true.
	Enabled *bool `yaml:"enabled" json:"enabled"`
	// PublishInterval is the period at which the registry is published on
	// drover/<dev>/metrics (for fleetctl exporter); 0 turns it off.
	// Default: 30s.
	PublishInterval *Duration `yaml:"publish_interval" json:"publish_interval"`
}

// Journal sizes the in-memory ring and its optional on-disk copy.
// Outbox bounds the on-disk outbox (<data_dir>/outbox.db) of the QoS 1
// messages (telemetry, replies, retained state) not yet acknowledged.
type Outbox struct {
	// MaxBytes caps the records' size; the oldest telemetry goes first. Default: 16MB.
	MaxBytes Size `yaml:"max_bytes" json:"max_bytes"`
	// MaxAge drops records older than it. Default: 168h (7 days).
	MaxAge Duration `yaml:"max_age" json:"max_age"`
	// SyncInterval batches the writes to disk: at most one fsynced
	// transaction per interval; 0 fsyncs every change. Default: 1s.
	SyncInterval *Duration `yaml:"sync_interval" json:"sync_interval"`
}

// Journal sizes the in-memory log and its optional file copy.
type Journal struct {
	// Records is the ring size. Default: 10000.
	Records int `yaml:"records" json:"records"`
	// File, when set, receives a copy of every record.
	File string `yaml:"file,omitempty" json:"file,omitempty"`
	// FileMax caps the file copy. Default: 10MB.
	FileMax Size `yaml:"file_max" json:"file_max"`
}

// OTA configures signed over-the-air updates.
type OTA struct {
	// TrustedKeys are minisign public keys (the base64 line of a .pub file).
	TrustedKeys []string `yaml:"trusted_keys,omitempty" json:"trusted_keys,omitempty"`
	// Trial is how long a new version must stay healthy. Default: 2m.
	Trial Duration `yaml:"trial" json:"trial"`
	// AllowDowngrade accepts manifests that allow a lower build. Default: false.
	AllowDowngrade bool `yaml:"allow_downgrade" json:"allow_downgrade"`
}

// Control configures who may command the device over MQTT.
type Control struct {
	// Keys, when set, make the device run only requests signed by one of
	// them, within the key's role. Default: none (any request runs).
	Keys []ControlKey `yaml:"keys,omitempty" json:"keys,omitempty"`
}

// ControlKey is a trusted command-signing key and its role.
type ControlKey struct {
	// Key is a minisign public key (the base64 line of a .pub file).
	Key string `yaml:"key" json:"key"`
	// Role is viewer, operator or admin.
	Role string `yaml:"role" json:"role"`
}

// HomeAssistant configures Home Assistant MQTT discovery: a retained
// <prefix>/sensor/<dev>_<sensor>_<metric>/config per sensor metric.
type HomeAssistant struct {
	// Discovery publishes the discovery messages. Default: false.
	Discovery bool `yaml:"discovery" json:"discovery"`
	// Prefix is Home Assistant's discovery prefix. Default: "homeassistant".
	Prefix string `yaml:"prefix" json:"prefix"`
}

// Sensor is one item of the sensors list, kept as its YAML node for the
// sensors package, with the two keys every sensor has.
type Sensor struct {
	Name   string
	Driver string
	// Node is the whole item, with its line numbers.
	Node yaml.Node
}
