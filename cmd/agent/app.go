package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

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

// options are the command line; flags override the environment, which
// overrides the file.
type options struct {
	config string
	ov     config.Overrides
	// demo adds the demo task and job even with a config or a broker.
	demo bool
}

func parseFlags(args []string, stderr io.Writer, getenv func(string) string) (options, []string, error) {
	fs := flag.NewFlagSet("agent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: agent [flags] | agent version | agent check-config FILE | agent selftest [flags]")
		fs.PrintDefaults()
	}
	o := options{ov: config.Overrides{BrokerURL: getenv("DROVER_BROKER"), ID: getenv("DROVER_ID")}}
	fs.StringVar(&o.config, "config", "", "YAML configuration file (none: defaults)")
	fs.StringVar(&o.ov.BrokerURL, "broker", o.ov.BrokerURL, "broker URL (env DROVER_BROKER; none: embedded broker on "+agent.EmbeddedBrokerListen+")")
	fs.StringVar(&o.ov.ID, "id", o.ov.ID, "device id (env DROVER_ID; default: the host name)")
	fs.StringVar(&o.ov.DataDir, "data-dir", "", "directory of persisted state")
	fs.StringVar(&o.ov.MetricsListen, "metrics-listen", "", "address of /metrics (default "+config.DefaultMetricsListen+")")
	fs.BoolVar(&o.demo, "demo", false, "add the demo task (heartbeat) and job (demo-hello); default: only without config and broker")
	err := fs.Parse(args)
	return o, fs.Args(), err
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	o, rest, err := parseFlags(args, stderr, getenv)
	if err != nil {
		return exitConfig
	}
	if len(rest) > 0 {
		switch rest[0] {
		case "version":
			fmt.Fprintf(stdout, "agent %s (commit %s, %s)\n", version.Version, version.Commit, version.GoVersion())
			return exitOK
		case "check-config":
			return checkConfig(rest[1:], stdout, stderr)
		case "selftest":
			return selftest(ctx, o, stdout, stderr)
		default:
			fmt.Fprintf(stderr, "agent: unknown command %q\n", rest[0])
			return exitConfig
		}
	}
	return serve(ctx, o, stderr)
}

func checkConfig(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: agent check-config FILE")
		return exitConfig
	}
	if _, err := config.Load(args[0]); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	fmt.Fprintf(stdout, "%s: ok\n", args[0])
	return exitOK
}

// selftest checks that the config parses, the data dir opens and the broker
// answers (with the configured credentials and TLS); OTA runs it on a new
// binary before switching to it.
func selftest(ctx context.Context, o options, stdout, stderr io.Writer) int {
	cfg, err := config.LoadWith(o.config, o.ov)
	if err != nil {
		fmt.Fprintln(stderr, "selftest: config:", err)
		return exitFail
	}
	a, err := agent.New(cfg) // opens the data dir
	if err != nil {
		fmt.Fprintln(stderr, "selftest:", err)
		return exitFail
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.ProbeBroker(pctx); err != nil {
		fmt.Fprintln(stderr, "selftest: broker:", err)
		return exitFail
	}
	fmt.Fprintln(stdout, "selftest: ok")
	return exitOK
}

func serve(ctx context.Context, o options, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cfg, err := config.LoadWith(o.config, o.ov)
	if err != nil {
		fmt.Fprintln(stderr, "agent:", err)
		return exitConfig
	}
	a, err := agent.New(cfg, agent.WithLogger(log))
	if err != nil {
		fmt.Fprintln(stderr, "agent:", err)
		return exitConfig
	}
	if o.demo || (o.config == "" && cfg.Broker.URL == "") {
		if err := a.AddDemo(); err != nil {
			fmt.Fprintln(stderr, "agent:", err)
			return exitFail
		}
	}
	err = a.Run(ctx)
	if errors.Is(err, agent.ErrRestart) {
		err = agent.Reexec()
	}
	if err != nil {
		log.Error("agent stopped with an error", "err", err)
		return exitFail
	}
	return exitOK
}
