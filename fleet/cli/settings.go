package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/internal/mqttopts"
)

// Settings are fleetctl's global options. The config file uses the same
// keys as the flags. Precedence: flag, then environment, then file, then default.
type Settings struct {
	Brokers    []string      `yaml:"broker"`
	Timeout    time.Duration `yaml:"timeout"`
	Output     string        `yaml:"output"`
	Prefix     string        `yaml:"prefix"`
	Username   string        `yaml:"username"`
	Password   string        `yaml:"password"`
	CA         string        `yaml:"ca"`
	Cert       string        `yaml:"cert"`
	Key        string        `yaml:"key"`
	ServerName string        `yaml:"server-name"`
	Insecure   bool          `yaml:"insecure"`
	// SigningKey is a minisign secret key file that signs every request.
	SigningKey string `yaml:"signing-key"`
}

// Output formats.
const (
	OutputTable = "table"
	OutputJSON  = "json"
	OutputYAML  = "yaml"
)

// DefaultSettings are the values used when nothing else sets them.
func DefaultSettings() Settings {
	return Settings{Brokers: []string{client.DefaultBroker}, Timeout: 5 * time.Second, Output: OutputTable, Prefix: fleet.DefaultPrefix}
}

// DefaultConfigPath is os.UserConfigDir()/drover/fleetctl.yaml, or "" when
// there is no user config dir.
func DefaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "drover", "fleetctl.yaml")
}

// bind registers the global flags, writing into s.
func (s *Settings) bind(fl *pflag.FlagSet) {
	d := DefaultSettings()
	fl.StringSliceVar(&s.Brokers, "broker", d.Brokers,
		"broker URL; repeat it (or separate with commas) to list a cluster's nodes, tried in order (env DROVER_BROKER)")
	fl.DurationVar(&s.Timeout, "timeout", d.Timeout, "time allowed for the whole command")
	fl.StringVarP(&s.Output, "output", "o", d.Output, "output format: table, json or yaml")
	fl.StringVar(&s.Prefix, "prefix", d.Prefix, "topic prefix")
	fl.StringVar(&s.Username, "username", "", "broker user name (env DROVER_USERNAME)")
	fl.StringVar(&s.Password, "password", "", "broker password (env DROVER_PASSWORD)")
	fl.StringVar(&s.CA, "ca", "", "PEM file of CA certificates for TLS")
	fl.StringVar(&s.Cert, "cert", "", "PEM file of the TLS client certificate")
	fl.StringVar(&s.Key, "key", "", "PEM file of the TLS client key")
	fl.StringVar(&s.ServerName, "server-name", "", "name expected in the broker's certificate")
	fl.BoolVar(&s.Insecure, "insecure", false, "skip verification of the broker's certificate")
	fl.StringVar(&s.SigningKey, "signing-key", "", "minisign secret key that signs every request (password in $"+signingKeyPasswordEnv+" when encrypted)")
}

// fields maps flag names to the settings' fields.
func (s *Settings) fields() map[string]any {
	return map[string]any{
		"broker": &s.Brokers, "timeout": &s.Timeout, "output": &s.Output, "prefix": &s.Prefix,
		"username": &s.Username, "password": &s.Password, "ca": &s.CA, "cert": &s.Cert,
		"key": &s.Key, "server-name": &s.ServerName, "insecure": &s.Insecure,
		"signing-key": &s.SigningKey, "signing_key": &s.SigningKey,
	}
}

// resolve merges file, environment and the flags that were set over the defaults.
func resolve(flags Settings, fl *pflag.FlagSet, path string, explicit bool, getenv func(string) string) (Settings, error) {
	s := DefaultSettings()
	if err := loadFile(&s, path, explicit); err != nil {
		return s, err
	}
	envs := map[string]string{"broker": "DROVER_BROKER", "username": "DROVER_USERNAME", "password": "DROVER_PASSWORD"}
	dst, src := s.fields(), flags.fields()
	for name, env := range envs {
		if v := getenv(env); v != "" {
			setText(dst[name], v)
		}
	}
	fl.Visit(func(f *pflag.Flag) {
		if p, ok := dst[f.Name]; ok {
			copyField(p, src[f.Name])
		}
	})
	return s, s.validate()
}

// setText stores the text of a flag or environment variable into p, a
// *string, or a *[]string whose items it separates at commas.
func setText(p any, v string) {
	switch d := p.(type) {
	case *string:
		*d = v
	case *[]string:
		*d = splitList(v)
	}
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func copyField(dst, src any) {
	switch d := dst.(type) {
	case *string:
		*d = *src.(*string)
	case *[]string:
		*d = *src.(*[]string)
	case *bool:
		*d = *src.(*bool)
	case *time.Duration:
		*d = *src.(*time.Duration)
	}
}

func (s Settings) validate() error {
	var errs []error
	switch s.Output {
	case OutputTable, OutputJSON, OutputYAML:
	default:
		errs = append(errs, usageErrorf("--output %q: want table, json or yaml", s.Output))
	}
	for _, b := range s.Brokers {
		if err := mqttopts.CheckURL(b); err != nil {
			errs = append(errs, usageErrorf("--broker: %v", err))
		}
	}
	if s.Timeout <= 0 {
		errs = append(errs, usageErrorf("--timeout must be positive, got %s", s.Timeout))
	}
	return errors.Join(errs...)
}

// clientOptions turns the settings into client.Options.
func (s Settings) clientOptions() client.Options {
	return client.Options{
		Brokers: s.Brokers, Username: s.Username, Password: s.Password, Prefix: s.Prefix,
		TLS: client.TLSOptions{CA: s.CA, Cert: s.Cert, Key: s.Key, ServerName: s.ServerName, Insecure: s.Insecure},
	}
}
