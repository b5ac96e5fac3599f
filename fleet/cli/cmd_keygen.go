package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/ota/sign"
)

// keygenCmd makes a minisign key pair, for signing updates (ota keygen,
// whose files are ota.key and ota.pub by default) or commands (keygen).
func (a *app) keygenCmd(defaultName string) *cobra.Command {
	var out, name string
	var encrypt bool
	cmd := &cobra.Command{
		Use:   "keygen [--out DIR] [--name NAME] [--encrypt]",
		Short: "Make a minisign key pair (NAME.key, NAME.pub) for signing updates and commands",
		Args:  cobra.NoArgs,
	}
	cmd.Flags().StringVar(&out, "out", ".", "directory of the key files")
	cmd.Flags().StringVar(&name, "name", defaultName, "file name of the keys, without .key or .pub")
	cmd.Flags().BoolVar(&encrypt, "encrypt", false, "encrypt the secret key with the password in $"+keyPasswordEnv)
	cmd.RunE = run(func(*cobra.Command, []string) error {
		password := ""
		if encrypt {
			if password = a.opts.Getenv(keyPasswordEnv); password == "" {
				return usageErrorf("--encrypt needs the password in $%s", keyPasswordEnv)
			}
		}
		return a.keygen(filepath.Join(out, name), password)
	})
	return cmd
}

// keygen writes base.key and base.pub and prints how to use them.
func (a *app) keygen(base, password string) error {
	kp, err := sign.GenerateKey(password)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(base), 0o700); err != nil { // the README's first command names a new dir
		return err
	}
	keyPath, pubPath := base+".key", base+".pub"
	if err := writeNew(keyPath, kp.Secret, 0o600); err != nil {
		return err
	}
	if err := writeNew(pubPath, kp.Public, 0o644); err != nil {
		return err
	}
	pub, err := sign.ParsePublicKey(string(kp.Public))
	if err != nil {
		return err
	}
	fmt.Fprintf(a.opts.Stdout, "key id %s\nsecret key: %s\npublic key: %s\n\n"+
		"agent config, to trust it for updates:\nota:\n  trusted_keys:\n    - %s\n\n"+
		"and/or for commands (role viewer, operator or admin):\ncontrol:\n  keys:\n    - {key: %s, role: operator}\n\n"+
		"fleetctl then signs with: --signing-key %s (or signing-key: in fleetctl.yaml)\n",
		kp.ID, keyPath, pubPath, pub.String(), pub.String(), keyPath)
	return nil
}
