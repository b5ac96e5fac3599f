// Package enroll gives devices their broker identity: certificates signed
// by a fleet CA (ECDSA P-256, created on first use), whose common name is
// the device id (Mosquitto's use_identity_as_username), or passwords in
// Mosquitto's password file format.
package enroll

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// File names of the fleet CA in its directory.
const (
	CACertFile = "ca.pem"
	CAKeyFile  = "ca.key"
)

// CAValidity is how long a new fleet CA is valid.
const CAValidity = 10 * 365 * 24 * time.Hour

// CA is the fleet's certificate authority.
type CA struct {
	// Dir holds ca.pem and ca.key.
	Dir  string
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// CertPath is the path of the CA certificate, which devices and the broker trust.
func (ca *CA) CertPath() string { return filepath.Join(ca.Dir, CACertFile) }

// OpenCA loads the CA in dir, creating the directory and a new CA valid
// from now when there is none yet; created reports that.
func OpenCA(dir string, now time.Time) (ca *CA, created bool, err error) {
	certPEM, err := os.ReadFile(filepath.Join(dir, CACertFile))
	if errors.Is(err, fs.ErrNotExist) {
		ca, err := createCA(dir, now)
		return ca, err == nil, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("enroll: read CA: %w", err)
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, CAKeyFile))
	if err != nil {
		return nil, false, fmt.Errorf("enroll: read CA key: %w", err)
	}
	ca, err = parseCA(dir, certPEM, keyPEM)
	return ca, false, err
}

func parseCA(dir string, certPEM, keyPEM []byte) (*CA, error) {
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, fmt.Errorf("%w: %s: not PEM", ErrBadCA, dir)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadCA, dir, err)
	}
	key, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	ek, ok := key.(*ecdsa.PrivateKey)
	if err != nil || !ok || !cert.IsCA {
		return nil, fmt.Errorf("%w: %s: want an ECDSA CA certificate and its PKCS #8 key", ErrBadCA, dir)
	}
	return &CA{Dir: dir, cert: cert, key: ek}, nil
}

func createCA(dir string, now time.Time) (*CA, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("enroll: CA directory: %w", err)
	}
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: "Drover fleet CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(CAValidity)}
	certPEM, keyPEM, err := sign(tmpl, nil, nil)
	if err != nil {
		return nil, err
	}
	if err := writeNew(filepath.Join(dir, CAKeyFile), keyPEM, 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(filepath.Join(dir, CACertFile), certPEM, 0o644); err != nil {
		return nil, err
	}
	return parseCA(dir, certPEM, keyPEM)
}

// sign makes a key pair and a certificate from tmpl, signed by parent
// (self-signed when parent is nil), both PEM-encoded.
func sign(tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("enroll: key: %w", err)
	}
	if tmpl.SerialNumber, err = rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127)); err != nil {
		return nil, nil, fmt.Errorf("enroll: serial: %w", err)
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		return nil, nil, fmt.Errorf("enroll: certificate: %w", err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("enroll: encode key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), nil
}

// writeNew writes a file that must not exist yet: keys are never overwritten.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("enroll: write %s: %w", path, err)
	}
	return f.Close()
}
