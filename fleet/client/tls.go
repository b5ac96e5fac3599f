package client

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// TLSOptions configure TLS to the broker. The zero value means no TLS unless
// the broker URL's scheme asks for it (ssl://, tls://, mqtts://).
type TLSOptions struct {
	// CA is a PEM file of CA certificates; empty means the system roots.
	CA string `yaml:"ca,omitempty"`
	// Cert and Key are PEM files of a client certificate and its key.
	Cert string `yaml:"cert,omitempty"`
	Key  string `yaml:"key,omitempty"`
	// ServerName overrides the name checked in the broker's certificate.
	ServerName string `yaml:"server_name,omitempty"`
	// Insecure skips verification of the broker's certificate (testing only).
	Insecure bool `yaml:"insecure,omitempty"`
}

// Enabled reports whether any TLS option is set.
func (o TLSOptions) Enabled() bool {
	return o.CA != "" || o.Cert != "" || o.Key != "" || o.ServerName != "" || o.Insecure
}

// Config builds the *tls.Config the options describe.
func (o TLSOptions) Config() (*tls.Config, error) {
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         o.ServerName,
		InsecureSkipVerify: o.Insecure, //nolint:gosec // explicit operator choice
	}
	if o.CA != "" {
		pem, err := os.ReadFile(o.CA)
		if err != nil {
			return nil, fmt.Errorf("fleet: read CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("fleet: CA file %s holds no PEM certificate", o.CA)
		}
		cfg.RootCAs = pool
	}
	if (o.Cert == "") != (o.Key == "") {
		return nil, fmt.Errorf("fleet: client certificate needs both cert and key")
	}
	if o.Cert != "" {
		pair, err := tls.LoadX509KeyPair(o.Cert, o.Key)
		if err != nil {
			return nil, fmt.Errorf("fleet: load client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}
