package e2e

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	paho "github.com/eclipse/paho.mqtt.golang"
)

const (
	mqUser     = "drover"
	mqPassword = "e2e-pw-7"
)

// secureBroker is Mosquitto with a password file and three listeners:
// plain, TLS, and TLS requiring a client certificate.
type secureBroker struct {
	*mosquitto
	pki              pki
	plain, tls, mtls string // broker URLs
}

func startSecureMosquitto(t *testing.T) secureBroker {
	t.Helper()
	passwd := writeFile(t, "passwd", "")
	if out, err := exec.Command(need(t, "mosquitto_passwd"), "-b", passwd, mqUser, mqPassword).CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_passwd: %v\n%s", err, out)
	}
	p := newPKI(t)
	ports := [3]int{freePort(t), freePort(t), freePort(t)}
	tlsFiles := fmt.Sprintf("cafile %s\ncertfile %s\nkeyfile %s\n", p.ca, p.serverCert, p.serverKey)
	conf := fmt.Sprintf("allow_anonymous false\npassword_file %s\npersistence false\n"+
		"listener %d 127.0.0.1\n"+
		"listener %d 127.0.0.1\n%s"+
		"listener %d 127.0.0.1\n%srequire_certificate true\n",
		passwd, ports[0], ports[1], tlsFiles, ports[2], tlsFiles)
	m := startMosquittoWith(t, ports[0], conf)
	for _, port := range ports[1:] {
		waitDial(t, fmt.Sprintf("127.0.0.1:%d", port))
	}
	return secureBroker{mosquitto: m, pki: p, plain: m.url(),
		tls: fmt.Sprintf("ssl://127.0.0.1:%d", ports[1]), mtls: fmt.Sprintf("ssl://127.0.0.1:%d", ports[2])}
}

// TestAuthAndTLSE2E connects the agent and fleetctl with a password, over
// TLS checked against a test CA, and with a client certificate; a wrong
// password or a missing client certificate gives exit code 3.
func TestAuthAndTLSE2E(t *testing.T) {
	t.Parallel()
	b := startSecureMosquitto(t)
	w := watchWith(t, b.plain, func(o *paho.ClientOptions) { o.SetUsername(mqUser).SetPassword(mqPassword) }, "drover/+/state")
	pwFile := writeFile(t, "pw", mqPassword+"\n")
	creds := []string{"--username", mqUser, "--password", mqPassword}
	tests := []struct {
		id, url, broker string // broker: the agent's broker section below url
		fleetctl        []string
	}{
		{"auth1", b.plain, "  username: drover\n  password: " + mqPassword + "\n", creds},
		{"tls1", b.tls, fmt.Sprintf("  username: drover\n  password_file: %s\n  tls:\n    ca: %s\n", pwFile, b.pki.ca),
			append([]string{"--ca", b.pki.ca}, creds...)},
		{"mtls1", b.mtls, fmt.Sprintf("  username: drover\n  password: %s\n  tls:\n    ca: %s\n    cert: %s\n    key: %s\n",
			mqPassword, b.pki.ca, b.pki.clientCert, b.pki.clientKey),
			append([]string{"--ca", b.pki.ca, "--cert", b.pki.clientCert, "--key", b.pki.clientKey}, creds...)},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			conf := writeFile(t, "agent.yaml", fmt.Sprintf("id: %s\ndata_dir: %s\nmetrics:\n  enabled: false\nbroker:\n  url: %s\n%s",
				tt.id, t.TempDir(), tt.url, tt.broker))
			if out, err := exec.Command(bins["agent"], "--config", conf, "selftest").CombinedOutput(); err != nil {
				t.Errorf("agent selftest: %v\n%s", err, out)
			}
			startAgentConfig(t, "agent-"+tt.id, conf)
			w.expect("drover/"+tt.id+"/state", "online")
			if out, code := fleetctl(t, tt.url, append(tt.fleetctl, "ping", tt.id)...); code != 0 {
				t.Errorf("fleetctl ping over %s: exit %d\n%s", tt.url, code, out)
			}
		})
	}
	refused := []struct {
		name, want string // want is a regexp
		args       []string
	}{
		{"wrong password", "not Authorized", []string{"--broker", b.plain, "--username", mqUser, "--password", "wrong"}},
		{"no password", "not Authorized", []string{"--broker", b.plain}},
		{"unknown CA", "unknown authority", []string{"--broker", b.tls, "--username", mqUser, "--password", mqPassword}},
		// Under TLS 1.3 the client may write before it reads the broker's
		// "certificate required" alert, and then sees the reset instead.
		{"no client certificate", "certificate required|connection reset by peer",
			[]string{"--broker", b.mtls, "--ca", b.pki.ca, "--username", mqUser, "--password", mqPassword}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			out, code := fleetctl(t, "", append(tt.args, "ping", "auth1")...)
			if code != 3 || !strings.Contains(out, "broker unreachable") || !regexp.MustCompile(tt.want).MatchString(out) {
				t.Errorf("fleetctl %v: exit %d, want 3 and an error saying %q:\n%s", tt.args, code, tt.want, out)
			}
		})
	}
	t.Run("agent selftest with a wrong password", func(t *testing.T) {
		conf := writeFile(t, "agent.yaml", fmt.Sprintf("id: bad1\ndata_dir: %s\nbroker:\n  url: %s\n  username: drover\n  password: wrong\n", t.TempDir(), b.plain))
		out, err := exec.Command(bins["agent"], "--config", conf, "selftest").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "not Authorized") {
			t.Errorf("selftest with a wrong password: %v, want a failure saying not Authorized:\n%s", err, out)
		}
	})
}
