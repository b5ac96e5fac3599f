package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/enroll"
	"github.com/drover-iot/drover/ota/sign"
)

// enrollFlags are the flags of enroll.
type enrollFlags struct {
	caDir       string
	password    bool
	server      []string
	valid       time.Duration
	otaKeys     []string
	controlKeys []string
}

func (a *app) enrollCmd() *cobra.Command {
	var f enrollFlags
	cmd := &cobra.Command{
		Use:   "enroll DEV (--ca-dir DIR | --password) [--ota-key PUB] [--control-key PUB=ROLE]",
		Short: "Give a device its broker identity (a certificate of the fleet CA, or a password) and print its agent config",
		Long: "enroll makes DIR/DEV.pem and DIR/DEV.key, a client certificate whose common name is DEV, signed by\n" +
			"the fleet CA in DIR (ca.pem, ca.key; ECDSA P-256, created on first use), for Mosquitto's\n" +
			"use_identity_as_username. With --password it prints a line for Mosquitto's password_file instead.\n" +
			"With --server HOST[,HOST] it makes the broker's server certificate DIR/DEV.pem for those names.\n" +
			"It prints the agent's config: broker URL (--broker), TLS files or credentials, trusted keys.",
		Args: exactArgs("DEV"),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.caDir, "ca-dir", "", "directory of the fleet CA and the certificates")
	fl.BoolVar(&f.password, "password", false, "make a password (for Mosquitto's password_file) instead of a certificate")
	fl.StringSliceVar(&f.server, "server", nil, "make a broker server certificate for these host names or IPs")
	fl.DurationVar(&f.valid, "valid", enroll.DefaultValidity, "validity of the certificate")
	fl.StringArrayVar(&f.otaKeys, "ota-key", nil, "minisign .pub file the device trusts for updates (repeatable)")
	fl.StringArrayVar(&f.controlKeys, "control-key", nil, "PUB=ROLE: minisign .pub file the device trusts for commands (repeatable)")
	cmd.RunE = run(func(_ *cobra.Command, args []string) error { return a.enroll(args[0], f) })
	return cmd
}

func (a *app) enroll(name string, f enrollFlags) error {
	if f.password != (f.caDir == "") {
		return usageErrorf("enroll needs exactly one of --ca-dir DIR or --password")
	}
	if len(f.server) == 0 {
		if err := validDevice(name); err != nil {
			return err
		}
	}
	keys, err := stanzaKeys(f)
	if err != nil {
		return err
	}
	if f.password {
		return a.enrollPassword(name, keys)
	}
	return a.enrollCert(name, f, keys)
}

func (a *app) enrollPassword(dev, keys string) error {
	pw := enroll.NewPassword()
	line, err := enroll.PasswordLine(dev, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.opts.Stdout, "# Mosquitto password_file line:\n%s\n\n# agent config:\nid: %s\nbroker:\n%s  username: %s\n  password: %s\n%s",
		line, dev, brokerYAML(a.s.Brokers), dev, pw, keys)
	return nil
}

func (a *app) enrollCert(name string, f enrollFlags, keys string) error {
	now := a.opts.Clock.Now()
	ca, created, err := enroll.OpenCA(f.caDir, now)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(a.opts.Stderr, "created the fleet CA %s\n", ca.CertPath())
	}
	var iss enroll.Issued
	if len(f.server) > 0 {
		iss, err = ca.IssueServer(name, f.server, now, f.valid)
	} else {
		iss, err = ca.IssueDevice(name, now, f.valid)
	}
	if err != nil {
		return err
	}
	if len(f.server) > 0 {
		fmt.Fprintf(a.opts.Stdout, "# Mosquitto listener:\ncafile %s\ncertfile %s\nkeyfile %s\nrequire_certificate true\nuse_identity_as_username true\n",
			abs(ca.CertPath()), abs(iss.Cert), abs(iss.Key))
		return nil
	}
	fmt.Fprintf(a.opts.Stdout, "id: %s\nbroker:\n%s  tls:\n    ca: %s\n    cert: %s\n    key: %s\n%s",
		name, brokerYAML(a.s.Brokers), abs(ca.CertPath()), abs(iss.Cert), abs(iss.Key), keys)
	return nil
}

// brokerYAML is the broker URL line of an agent config: url for one
// broker, urls for several (fleetctl's own, in its order).
func brokerYAML(brokers []string) string {
	if len(brokers) == 1 {
		return "  url: " + brokers[0] + "\n"
	}
	return "  urls: [" + strings.Join(brokers, ", ") + "]\n"
}

// stanzaKeys renders the ota and control sections of the agent config.
func stanzaKeys(f enrollFlags) (string, error) {
	var b strings.Builder
	if len(f.otaKeys) > 0 {
		b.WriteString("ota:\n  trusted_keys:\n")
	}
	for _, path := range f.otaKeys {
		pub, err := loadPub(path)
		if err != nil {
			return "", err
		}
		b.WriteString("    - " + pub.String() + "\n")
	}
	if len(f.controlKeys) > 0 {
		b.WriteString("control:\n  keys:\n")
	}
	for _, spec := range f.controlKeys {
		path, role, ok := strings.Cut(spec, "=")
		if !ok || !fleet.Role(role).Valid() {
			return "", usageErrorf("--control-key %q: want PUB=ROLE with ROLE viewer, operator or admin", spec)
		}
		pub, err := loadPub(path)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "    - {key: %s, role: %s}\n", pub.String(), role)
	}
	return b.String(), nil
}

func loadPub(path string) (sign.PublicKey, error) {
	pub, err := sign.LoadPublicKey(path)
	if err != nil {
		return pub, usageErrorf("key %s: %v", path, err)
	}
	return pub, nil
}

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
