package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/drover-iot/drover/agent"
	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/internal/version"
)

// selftestBrokerTimeout bounds selftest's broker probe.
const selftestBrokerTimeout = 10 * time.Second

// checkConfig checks FILE (or --config) with the flags' overrides applied.
func checkConfig(o options, args []string, stdout, stderr io.Writer) int {
	path := o.config
	switch {
	case len(args) == 1:
		path = args[0]
	case len(args) > 1 || path == "":
		fmt.Fprintln(stderr, "usage: agent check-config FILE [flags]  (or --config FILE)")
		return exitConfig
	}
	cfg, err := config.LoadWith(path, o.ov)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	for _, w := range cfg.Warnings() {
		fmt.Fprintf(stderr, "%s: warning: %s\n", path, w)
	}
	fmt.Fprintf(stdout, "%s: ok\n", path)
	return exitOK
}

// selftest checks that the config parses, the data dir opens and the broker
// answers (with the configured credentials and TLS); OTA runs it on a new
// binary before switching to it. Each check prints one line saying what
// was checked.
func selftest(ctx context.Context, o options, stdout, stderr io.Writer) int {
	cfg, err := config.LoadWith(o.config, o.ov)
	if err != nil {
		fmt.Fprintln(stderr, "selftest: config:", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "config: ok (%s, id %s)\n", describeFile(o.config), cfg.ID)
	a, err := agent.New(cfg) // opens the data dir
	if err != nil {
		fmt.Fprintln(stderr, "selftest:", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "data dir: ok (%s)\n", cfg.DataDir)
	if cfg.Broker.Embedded() {
		fmt.Fprintf(stdout, "broker: embedded (not probed; the agent starts it on %s)\n", agent.EmbeddedBrokerListen)
	} else {
		pctx, cancel := context.WithTimeout(ctx, selftestBrokerTimeout)
		defer cancel()
		if err := a.ProbeBroker(pctx); err != nil {
			fmt.Fprintln(stderr, "selftest: broker:", err)
			return exitFail
		}
		fmt.Fprintf(stdout, "broker: ok (%s)\n", strings.Join(cfg.Broker.List(), " "))
	}
	fmt.Fprintln(stdout, "selftest: ok")
	return exitOK
}

// absPath makes path absolute, so the new binary's selftest finds the
// file whatever its working directory; "" stays "".
func absPath(path string) string {
	if path == "" {
		return ""
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

func describeFile(path string) string {
	if path == "" {
		return "no file, defaults"
	}
	return path
}

// serve runs the agent until ctx ends. A configuration the agent cannot
// run with, or a data dir in use by another agent, exits 2.
func serve(ctx context.Context, o options, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cfg, err := config.LoadWith(o.config, o.ov)
	if err != nil {
		printErr(stderr, err)
		return exitConfig
	}
	a, err := agent.New(cfg, agent.WithLogger(log), agent.WithSelftestArgs(agent.SelftestArgs(cfg, absPath(o.config))...))
	if err != nil {
		printErr(stderr, err)
		return exitConfig
	}
	if o.demo || (o.config == "" && cfg.Broker.Embedded()) {
		if err := a.AddDemo(); err != nil {
			printErr(stderr, err)
			return exitFail
		}
	}
	if version.PanicAtStart != "" {
		panic("test hook: PanicAtStart is set")
	}
	err = a.Run(ctx)
	if errors.Is(err, agent.ErrTrial) {
		err = a.SuperviseTrial(ctx)
	}
	if errors.Is(err, agent.ErrRestart) {
		err = agent.Reexec()
	}
	switch {
	case errors.Is(err, agent.ErrDataDirLocked):
		printErr(stderr, err)
		return exitConfig
	case err != nil:
		log.Error("agent stopped with an error", "err", err)
		return exitFail
	}
	return exitOK
}
