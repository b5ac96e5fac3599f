package mqttopts

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// TLS names the TLS material of a broker connection (PEM files). The zero
// value asks for nothing.
type TLS struct {
	// CA is a PEM file of CA certificates; empty means the system roots.
	CA string
	// Cert and Key are PEM files of a client certificate and its key.
	Cert, Key string
	// ServerName overrides the name checked in the broker's certificate.
	ServerName string
	// Insecure skips verification of the broker's certificate (tests only).
	Insecure bool
}

// Enabled reports whether any TLS option is set.
func (t TLS) Enabled() bool { return t != TLS{} }

// Config builds the *tls.Config t describes, or nil when t asks for
// nothing. Errors wrap ErrTLS.
func (t TLS) Config() (*tls.Config, error) {
	if !t.Enabled() {
		return nil, nil
	}
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         t.ServerName,
		InsecureSkipVerify: t.Insecure, //nolint:gosec // explicit operator choice
	}
	if t.CA != "" {
		pem, err := os.ReadFile(t.CA)
		if err != nil {
			return nil, fmt.Errorf("%w: read CA file: %w", ErrTLS, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: CA file %s holds no PEM certificate", ErrTLS, t.CA)
		}
		cfg.RootCAs = pool
	}
	if (t.Cert == "") != (t.Key == "") {
		return nil, fmt.Errorf("%w: a client certificate needs both cert and key", ErrTLS)
	}
	if t.Cert != "" {
		pair, err := tls.LoadX509KeyPair(t.Cert, t.Key)
		if err != nil {
			return nil, fmt.Errorf("%w: load client certificate: %w", ErrTLS, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}
