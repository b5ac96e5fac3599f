package enroll

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"net"
	"path/filepath"
	"time"
)

// DefaultValidity is how long a device or broker certificate is valid.
const DefaultValidity = 2 * 365 * 24 * time.Hour

// Issued are the files of a new certificate.
type Issued struct {
	// Cert and Key are the paths of the PEM certificate and its key (0600).
	Cert, Key string
}

// IssueDevice writes <dir>/<name>.pem and .key: a client certificate whose
// common name is name (a device id, or an operator's user name), valid
// from now for validity. An existing file is never overwritten.
func (ca *CA) IssueDevice(name string, now time.Time, validity time.Duration) (Issued, error) {
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: name},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	return ca.issue(name, tmpl, now, validity)
}

// IssueServer writes <dir>/<name>.pem and .key: a server certificate for
// the broker, valid for hosts (DNS names or IP addresses).
func (ca *CA) IssueServer(name string, hosts []string, now time.Time, validity time.Duration) (Issued, error) {
	if len(hosts) == 0 {
		return Issued{}, fmt.Errorf("%w: a server certificate needs host names", ErrBadName)
	}
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: hosts[0]},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	return ca.issue(name, tmpl, now, validity)
}

func (ca *CA) issue(name string, tmpl *x509.Certificate, now time.Time, validity time.Duration) (Issued, error) {
	if validity <= 0 {
		validity = DefaultValidity
	}
	tmpl.NotBefore, tmpl.NotAfter = now.Add(-time.Hour), now.Add(validity)
	certPEM, keyPEM, err := sign(tmpl, ca.cert, ca.key)
	if err != nil {
		return Issued{}, err
	}
	out := Issued{Cert: filepath.Join(ca.Dir, name+".pem"), Key: filepath.Join(ca.Dir, name+".key")}
	if err := writeNew(out.Key, keyPEM, 0o600); err != nil {
		return Issued{}, err
	}
	if err := writeNew(out.Cert, certPEM, 0o644); err != nil {
		return Issued{}, err
	}
	return out, nil
}
