package agent

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/agent/desired"
	"github.com/drover-iot/drover/agent/journal"
	"github.com/drover-iot/drover/agent/supervise"
	"github.com/drover-iot/drover/agent/supervise/restart"
	"github.com/drover-iot/drover/internal/execproc"
	"github.com/drover-iot/drover/scheduler"
)

// commandHandlerPrefix names the handlers of configured command jobs.
const commandHandlerPrefix = "command:"

// outputLimit bounds what a command job keeps of its output.
const outputLimit = 4096

// addServices adds the configured services to the supervisor.
func (a *Agent) addServices() error {
	for _, s := range a.cfg.Services {
		spec := supervise.ServiceSpec{
			Name: s.Name, Type: s.Kind, Requires: s.Requires, Enabled: s.IsEnabled(),
			Restart: restartPolicy(s.Restart), Watchdog: s.Watchdog.D(), Args: s.Args,
		}
		if s.Kind == config.KindExec {
			spec.Run = a.execService(s)
		}
		if err := a.sup.AddService(spec); err != nil {
			a.log.Error("service not loaded", "service", s.Name, "err", err)
		}
	}
	return nil
}

func restartPolicy(r config.Restart) restart.Policy {
	return restart.Policy{Mode: restart.Mode(r.Policy), Initial: r.Backoff.D(), Max: r.MaxBackoff.D(),
		Burst: r.Burst, Window: r.Window.D()}
}

func execCmd(argv []string, env map[string]string, dir string) execproc.Cmd {
	c := execproc.Cmd{Path: argv[0], Args: argv[1:], Dir: dir}
	for _, k := range slices.Sorted(maps.Keys(env)) {
		c.Env = append(c.Env, k+"="+env[k])
	}
	return c
}

// execService runs s's command under the supervisor; its output lines go
// to the journal with source svc:<name>.
func (a *Agent) execService(s config.Service) supervise.Func {
	cmd := execCmd(s.Command, s.Env, s.Dir)
	cmd.StopTimeout = s.StopTimeout.D()
	source := journal.PrefixService + s.Name
	return func(ctx context.Context, c *supervise.Ctl) (any, error) {
		exit, err := cmd.Run(ctx, func(stream, line string) {
			a.journal.Append(levelOf(stream), source, line, "")
		}, c.SetPID)
		c.SetExit(exit.Code, exit.Signal)
		return exit, err
	}
}

// addJobs adds the configured jobs, tagged TagConfig; a command job gets
// its own handler. A job that cannot run (its handler is unknown to this
// binary) is kept, broken with the reason, so that status shows it.
func (a *Agent) addJobs() error {
	for _, j := range a.cfg.Jobs {
		handler := j.Handler
		if len(j.Command) > 0 {
			handler = commandHandlerPrefix + j.Name
			if err := a.reg.Register(handler, a.commandJob(j)); err != nil {
				return fmt.Errorf("agent: job %s: %w", j.Name, err)
			}
		}
		if err := a.sched.Define(desired.JobDef(j, handler, configTags(j.Tags))); err != nil {
			a.log.Error("job is broken", "job", j.Name, "err", err)
		}
	}
	return nil
}

func (a *Agent) commandJob(j config.Job) scheduler.Handler {
	cmd := execCmd(j.Command, nil, "")
	source := journal.PrefixJob + j.Name
	return func(ctx context.Context, _ scheduler.Run) error {
		out, err := execproc.Output(ctx, cmd, outputLimit)
		a.journal.Append(levelOfErr(err), source, "command finished", fmt.Sprintf("output=%q err=%v", out, err))
		return err
	}
}

// configTags returns tags with TagConfig added (and a stray TagRemote
// removed, so that the origin is unambiguous).
func configTags(tags []string) []string {
	out := []string{TagConfig}
	for _, t := range tags {
		if t != TagConfig && t != TagRemote {
			out = append(out, t)
		}
	}
	return out
}

// keepRestored says which saved jobs are restored: those added at run
// time (schedule.add, TagRemote). Saved config and demo jobs (TagConfig,
// or in files from before TagConfig existed, any job without TagRemote)
// come back only when the current config defines them again; the
// scheduler then merges their saved timing.
func keepRestored(def scheduler.JobDef) bool {
	return slices.Contains(def.Tags, TagRemote) && !slices.Contains(def.Tags, TagConfig)
}
