// Package cli is the command tree of fleetctl, the Drover operator CLI.
// It lives outside cmd/ so that tests run commands in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/jonboulle/clockwork"
	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/sign"
)

// signingKeyPasswordEnv holds the password of an encrypted --signing-key.
const signingKeyPasswordEnv = "DROVER_SIGNING_KEY_PASSWORD"

// Options are the process environment of a fleetctl run.
type Options struct {
	// Stdout and Stderr receive output and errors. Default: os.Stdout, os.Stderr.
	Stdout, Stderr io.Writer
	// Stdin is the terminal's input for fleetctl top. Default: os.Stdin.
	Stdin io.Reader
	// Getenv reads the environment. Default: os.Getenv.
	Getenv func(string) string
	// ConfigPath is the default config file. Default: DefaultConfigPath().
	ConfigPath string
	// Clock gives "now" for ages and uptimes, and times the wait before an
	// unanswered device's retained state is checked. Default: the real clock.
	Clock clockwork.Clock
}

func (o Options) withDefaults() Options {
	if o.Stdout == nil {
		o.Stdout = os.Stdout
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.ConfigPath == "" {
		o.ConfigPath = DefaultConfigPath()
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	return o
}

// app holds the state of one fleetctl run.
type app struct {
	opts       Options
	terminal   io.Writer // Stdout before control characters are escaped, for top
	flags      Settings  // bound to the global flags
	configPath string
	s          Settings // resolved in PersistentPreRunE
	parallel   int      // requests in flight of a fan-out; 0: the client's default
}

// Execute runs fleetctl with args and returns its exit code.
func Execute(ctx context.Context, args []string, opts Options) int {
	opts = opts.withDefaults()
	opts.Stderr = newTerminalWriter(opts.Stderr)
	root := NewCommand(opts)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(opts.Stderr, "Error:", err)
		if ExitCode(err) == ExitUsage {
			fmt.Fprintf(opts.Stderr, "Run '%s --help' for usage.\n", root.Name())
		}
	}
	return ExitCode(err)
}

// NewCommand builds the fleetctl command tree. Control characters in its
// output (from text that devices sent) are written as visible escapes.
func NewCommand(opts Options) *cobra.Command {
	a := &app{opts: opts.withDefaults()}
	a.terminal = a.opts.Stdout
	a.opts.Stdout, a.opts.Stderr = newTerminalWriter(a.opts.Stdout), newTerminalWriter(a.opts.Stderr)
	root := &cobra.Command{
		Use:           "fleetctl",
		Short:         "Watch and steer a fleet of Drover devices over MQTT",
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       versionLine(),
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			a.s, err = resolve(a.flags, cmd.Flags(), a.configPath, cmd.Flags().Changed("config"), a.opts.Getenv)
			return err
		},
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetOut(a.opts.Stdout)
	root.SetErr(a.opts.Stderr)
	a.flags.bind(root.PersistentFlags())
	root.PersistentFlags().StringVar(&a.configPath, "config", a.opts.ConfigPath, "config file with the same keys as the flags")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErrorf("%v", err) })
	root.AddCommand(a.devicesCmd(), a.pingCmd(), a.statusCmd(), a.infoCmd(), a.sensorsCmd(), a.configCmd(),
		a.taskCmd(), a.serviceCmd(), a.logsCmd(), a.scheduleCmd(), a.agentCmd(), a.brokerCmd(), a.otaCmd(), a.applyCmd(), a.diffCmd(), a.getCmd(), a.deleteCmd(), a.exporterCmd(), a.topCmd(),
		a.keygenCmd("drover"), a.aclCmd(), a.enrollCmd(), a.versionCmd())
	return root
}

// run marks the errors of a command's body so that ExitCode can tell them
// from cobra's usage errors.
func run(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := fn(cmd, args); err != nil {
			return runError{err}
		}
		return nil
	}
}

// dial connects to the broker within --timeout.
func (a *app) dial(ctx context.Context) (*client.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, a.s.Timeout)
	defer cancel()
	opts := a.s.clientOptions()
	opts.Concurrency = a.parallel
	signer, err := a.signer()
	if err != nil {
		return nil, err
	}
	if signer != nil {
		opts.Signer = signer
	}
	return client.Dial(ctx, opts)
}

// signer loads --signing-key (nil when none is set): it signs requests, and
// documents with fleet.SignDocument.
func (a *app) signer() (fleet.Signer, error) {
	if a.s.SigningKey == "" {
		return nil, nil
	}
	k, err := sign.LoadPrivateKey(a.s.SigningKey, a.opts.Getenv(signingKeyPasswordEnv))
	if err != nil {
		return nil, usageErrorf("--signing-key: %v", err)
	}
	return k, nil
}

// withClient dials the broker and calls fn, all within --timeout.
func (a *app) withClient(ctx context.Context, fn func(context.Context, *client.Client) error) error {
	ctx, cancel := context.WithTimeout(ctx, a.s.Timeout)
	defer cancel()
	c, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return fn(ctx, c)
}

// call sends one request and decodes its result into result (may be nil).
func (a *app) call(ctx context.Context, dev, cmd string, args, result any) error {
	if err := validDevice(dev); err != nil {
		return err
	}
	return a.withClient(ctx, func(ctx context.Context, c *client.Client) error {
		r, err := a.request(ctx, c, dev, cmd, args)
		if err != nil {
			return err
		}
		if result == nil {
			return nil
		}
		if err := r.Decode(result); err != nil {
			return fmt.Errorf("%s: %w", dev, err)
		}
		return nil
	})
}

// out prints doc in the chosen format.
func (a *app) out(doc any, tableFn func() *table) error {
	return emit(a.opts.Stdout, a.s.Output, doc, tableFn)
}

// errDeviceFailures is returned when some devices of a multi-device command failed.
var errDeviceFailures = errors.New("some devices failed")
