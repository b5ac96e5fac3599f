package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/drover-iot/drover/agent"
	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/internal/version"
)

// Exit codes.
const (
	exitOK     = 0
	exitFail   = 1
	exitConfig = 2
)

// usageText is printed by `agent help`, `agent --help` and on usage errors.
const usageText = `usage: agent [flags]                    run the agent
       agent version                    print the version
       agent check-config [FILE] [flags] check a configuration file (or --config)
       agent selftest [flags]           check config, data dir and broker
       agent help                       print this help
Every flag may come before or after the command.
flags:`

// options are the command line; flags override the environment, which
// overrides the file.
type options struct {
	config string
	ov     config.Overrides
	// demo adds the demo task and job even with a config or a broker.
	demo bool
}

// newFlagSet declares the global flags into o.
func newFlagSet(o *options, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("agent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// run prints the help: on stdout when asked for, a hint on errors.
	fs.Usage = func() {}
	fs.StringVar(&o.config, "config", "", "YAML configuration file (none: defaults)")
	fs.StringVar(&o.ov.BrokerURL, "broker", o.ov.BrokerURL, "broker URL (env DROVER_BROKER; none: embedded broker on "+agent.EmbeddedBrokerListen+")")
	fs.StringVar(&o.ov.ID, "id", o.ov.ID, "device id (env DROVER_ID; default: the host name)")
	fs.StringVar(&o.ov.DataDir, "data-dir", "", "directory of persisted state")
	fs.StringVar(&o.ov.MetricsListen, "metrics-listen", "", "address of /metrics (default "+config.DefaultMetricsListen+")")
	fs.BoolVar(&o.demo, "demo", false, "add the demo task (heartbeat) and job (demo-hello); default: only without config and broker")
	return fs
}

// parseFlags parses the global flags wherever they stand among the
// arguments (before or after the command) and returns the positional
// arguments in order. An unknown flag is an error; -h is flag.ErrHelp.
func parseFlags(args []string, stderr io.Writer, getenv func(string) string) (options, []string, error) {
	o := options{ov: config.Overrides{BrokerURL: getenv("DROVER_BROKER"), ID: getenv("DROVER_ID")}}
	fs := newFlagSet(&o, stderr)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return o, nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return o, positional, nil
		}
		if rest[0] == "--" {
			return o, append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	o, rest, err := parseFlags(args, stderr, getenv)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(stdout)
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "run 'agent help' for usage")
		return exitConfig
	}
	if len(rest) == 0 {
		return serve(ctx, o, stderr)
	}
	switch cmd, extra := rest[0], rest[1:]; {
	case cmd == "help":
		printHelp(stdout)
		return exitOK
	case cmd == "check-config":
		return checkConfig(o, extra, stdout, stderr)
	case len(extra) > 0:
		fmt.Fprintf(stderr, "agent: %s takes no arguments, got %q\n", cmd, extra)
		return exitConfig
	case cmd == "version":
		fmt.Fprintf(stdout, "agent %s (commit %s, %s)\n", version.Version, version.Commit, version.GoVersion())
		return exitOK
	case cmd == "selftest":
		return selftest(ctx, o, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "agent: unknown command %q (see agent help)\n", cmd)
		return exitConfig
	}
}

// printHelp writes the usage text and the flags' defaults to w.
func printHelp(w io.Writer) {
	fmt.Fprintln(w, usageText)
	newFlagSet(&options{}, w).PrintDefaults()
}

// printErr writes err on stderr with one "agent:" prefix.
func printErr(stderr io.Writer, err error) {
	msg := err.Error()
	if !strings.HasPrefix(msg, "agent:") {
		msg = "agent: " + msg
	}
	fmt.Fprintln(stderr, msg)
}
