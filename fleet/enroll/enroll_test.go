package enroll

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEnroll: the CA is made once and reused; a device certificate chains
// to it, names the device and is for client authentication; nothing is
// overwritten.
func TestEnroll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	ca, created, err := OpenCA(dir, now)
	if err != nil || !created {
		t.Fatalf("first OpenCA: %v created=%v", err, created)
	}
	again, created, err := OpenCA(dir, now)
	if err != nil || created || !again.cert.Equal(ca.cert) {
		t.Fatalf("second OpenCA: %v created=%v", err, created)
	}
	iss, err := again.IssueDevice("pi-1", now, 0)
	if err != nil {
		t.Fatal(err)
	}
	cert := readCert(t, iss.Cert)
	roots := x509.NewCertPool()
	roots.AddCert(ca.cert)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil || cert.Subject.CommonName != "pi-1" {
		t.Fatalf("device certificate: CN %q, verify %v", cert.Subject.CommonName, err)
	}
	if st, _ := os.Stat(iss.Key); st.Mode().Perm() != 0o600 {
		t.Errorf("key mode %v", st.Mode())
	}
	if _, err := again.IssueDevice("pi-1", now, 0); err == nil {
		t.Error("second certificate for pi-1 overwrote the first")
	}
	srv, err := ca.IssueServer("broker", []string{"127.0.0.1", "mqtt.example"}, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c := readCert(t, srv.Cert); c.VerifyHostname("mqtt.example") != nil || c.VerifyHostname("127.0.0.1") != nil {
		t.Errorf("server certificate names: %v %v", c.DNSNames, c.IPAddresses)
	}
}

func TestOpenCABad(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, CACertFile), []byte("junk"), 0o600)
	_ = os.WriteFile(filepath.Join(dir, CAKeyFile), []byte("junk"), 0o600)
	if _, _, err := OpenCA(dir, now); !errors.Is(err, ErrBadCA) {
		t.Fatalf("junk CA: %v", err)
	}
}

// TestPasswordLineMatchesMosquitto recomputes a hash mosquitto_passwd made.
func TestPasswordLineMatchesMosquitto(t *testing.T) {
	bin, err := exec.LookPath("mosquitto_passwd")
	if err != nil {
		t.Fatal("mosquitto_passwd not installed: run scripts/test-deps.sh")
	}
	file := filepath.Join(t.TempDir(), "pw")
	if out, err := exec.Command(bin, "-c", "-b", file, "dev1", "s3cret").CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	b, _ := os.ReadFile(file)
	want := strings.TrimSpace(string(b))
	parts := strings.Split(want, "$") // dev1:, 7, 101, salt, hash
	salt, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil {
		t.Fatalf("line %q: %v", want, err)
	}
	if got, _ := passwordLine("dev1", "s3cret", salt); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
