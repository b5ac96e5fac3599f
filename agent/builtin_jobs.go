package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/drover-iot/drover/agent/journal"
	"github.com/drover-iot/drover/agent/supervise"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/scheduler"
)

// Built-in job handlers, registered in every agent so that config jobs and
// schedule.add work on a stock binary. They only log or act on units the
// device already defines; nothing received is run as code.
const (
	// HandlerLog writes args.msg to the journal at args.level (default
	// info) with source job:<job name>.
	HandlerLog = "log"
	// HandlerUnitStart starts the task or service args.name.
	HandlerUnitStart = "unit.start"
	// HandlerUnitStop stops the task or service args.name.
	HandlerUnitStop = "unit.stop"
	// HandlerUnitRestart restarts the task or service args.name.
	HandlerUnitRestart = "unit.restart"
)

// registerBuiltinHandlers adds the built-in handlers to the registry.
func (a *Agent) registerBuiltinHandlers() {
	a.reg.MustRegister(HandlerLog, a.logJob)
	for name, act := range map[string]func(string) ([]string, error){
		HandlerUnitStart: a.sup.Start, HandlerUnitStop: a.sup.Stop, HandlerUnitRestart: a.sup.Restart,
	} {
		a.reg.MustRegister(name, unitJob(name, act))
	}
}

// logJob is the "log" handler.
func (a *Agent) logJob(_ context.Context, r scheduler.Run) error {
	msg, err := stringArg(r.Args, "msg", true)
	if err != nil {
		return err
	}
	levelText, err := stringArg(r.Args, "level", false)
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if levelText != "" {
		if level, err = fleet.ParseLevel(levelText); err != nil {
			return fmt.Errorf("%w: args.level: %w", ErrJobArgs, err)
		}
	}
	a.journal.Append(level, journal.PrefixJob+r.Job, msg, "")
	return nil
}

// unitJob returns a handler applying act to the unit named in args.name.
func unitJob(handler string, act func(string) ([]string, error)) scheduler.Handler {
	return func(_ context.Context, r scheduler.Run) error {
		name, err := stringArg(r.Args, "name", true)
		if err != nil {
			return err
		}
		if _, err := act(name); err != nil {
			if errors.Is(err, supervise.ErrNotFound) {
				return fmt.Errorf("%s: no task or service named %q on this device: %w", handler, name, err)
			}
			return fmt.Errorf("%s %s: %w", handler, name, err)
		}
		return nil
	}
}

// stringArg returns args[key] as a string; required says whether it may
// be missing.
func stringArg(args map[string]any, key string, required bool) (string, error) {
	v, ok := args[key]
	if !ok {
		if required {
			return "", fmt.Errorf("%w: args.%s is required", ErrJobArgs, key)
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok || (required && s == "") {
		return "", fmt.Errorf("%w: args.%s must be a non-empty string, got %v", ErrJobArgs, key, v)
	}
	return s, nil
}
