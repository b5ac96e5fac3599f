package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/agent/metrics"
	"github.com/drover-iot/drover/fleet/broker"
	"github.com/drover-iot/drover/internal/version"
)

// part is one long-running piece started by Run.
type part struct {
	name string
	run  func(ctx context.Context) error
}

// Run starts every part, boots the services and serves until ctx ends or
// agent.restart is received; then it stops the parts in order, each within
// the stop timeout: commands, supervised units, scheduler (which saves the
// schedules), MQTT (retained offline), metrics, embedded broker. It
// returns ErrRestart after agent.restart, or the stop errors joined. The
// data dir is locked while it runs: a second agent on the same dir gets
// ErrDataDirLocked.
func (a *Agent) Run(ctx context.Context) (err error) {
	lock, err := lockDataDir(a.cfg.DataDir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, lock.unlock()) }()
	// The outbox file is opened under the data dir's lock, and closed
	// (its last changes written) after the link has stopped.
	if err := a.outbox.Attach(filepath.Join(a.cfg.DataDir, outboxFile)); err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	defer func() { err = errors.Join(err, a.outbox.Close()) }()
	return a.run(ctx)
}

func (a *Agent) run(ctx context.Context) error {
	if err := a.bootOTA(); err != nil {
		return err
	}
	emb, err := a.startBroker()
	if err != nil {
		return err
	}
	ln, err := a.listenMetrics()
	if err != nil {
		return errors.Join(err, a.closeBroker(emb))
	}
	a.logStart(ln)
	if err := errors.Join(a.addJobs(), a.addServices()); err != nil {
		return errors.Join(err, a.closeBroker(emb))
	}
	a.groups.Restore()
	// The parts get their own contexts so that they stop in order.
	core := a.startParts(context.WithoutCancel(ctx), a.coreParts())
	edge := a.startParts(context.WithoutCancel(ctx), a.edgeParts(ln))
	bootCtx, cancelBoot := context.WithCancel(ctx)
	booted := a.boot(bootCtx)
	restarted := a.wait(ctx)
	if !restarted { // a restart keeps the PID: systemd must not see a stop
		a.notifyStopping()
	}
	cancelBoot()
	<-booted
	err = errors.Join(edge.wait(), a.shutdownUnits(), a.sensors.close())
	a.publishStatus() // the last status, flushed by the link's stop
	err = errors.Join(err, core.wait(), a.closeBroker(emb), a.journal.Close())
	if restarted {
		return errors.Join(ErrRestart, err)
	}
	return err
}

// coreParts stop after the units: the scheduler and the MQTT link (whose
// stop flushes the queue and publishes the retained offline state).
func (a *Agent) coreParts() []part {
	return []part{{"scheduler", a.sched.Run}, {"mqtt", a.link.Run}, {"outbox", a.outbox.Run}}
}

// edgeParts stop first: the dispatcher, the status loop, the metrics server.
func (a *Agent) edgeParts(ln net.Listener) []part {
	ps := []part{
		{"control", func(ctx context.Context) error { return a.disp.Run(ctx, a.inbox(ctx)) }},
		{"status", func(ctx context.Context) error { a.statusLoop(ctx.Done()); return nil }},
		{"sensors", a.sensors.run},
		a.groupsPart(),
	}
	if ln != nil {
		ps = append(ps, part{"metrics", func(ctx context.Context) error { return a.metrics.Serve(ctx, ln) }})
	}
	if p := a.metricsPublishPart(); p != nil {
		ps = append(ps, *p)
	}
	ps = append(ps, a.watchdogPart())
	return append(ps, a.otaParts()...)
}

// inbox forwards the link's received payloads to the dispatcher.
func (a *Agent) inbox(ctx context.Context) <-chan []byte {
	out := make(chan []byte)
	go func() {
		for {
			select {
			case m := <-a.link.Inbox():
				if a.route(m) {
					continue
				}
				select {
				case out <- m.Payload:
				case <-ctx.Done():
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// group is a set of started parts; wait returns their errors joined.
type group struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	errs   []error
}

func (a *Agent) startParts(ctx context.Context, ps []part) *group {
	g := &group{}
	ctx, g.cancel = context.WithCancel(ctx)
	for _, p := range ps {
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			if err := p.run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				a.log.Error("part stopped with an error", "part", p.name, "err", err)
				g.mu.Lock()
				g.errs = append(g.errs, fmt.Errorf("%s: %w", p.name, err))
				g.mu.Unlock()
			}
		}()
	}
	return g
}

func (g *group) wait() error {
	g.cancel()
	g.wg.Wait()
	return errors.Join(g.errs...)
}

// boot starts the configured services and the registered tasks.
func (a *Agent) boot(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := a.sup.Boot(ctx); err != nil {
			a.log.Error("boot", "err", err)
		}
		a.notifyReady()
	}()
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, t := range a.tasks {
		if _, err := a.sup.Add(t); err != nil {
			a.log.Error("task not added", "task", t.Name, "err", err)
		}
	}
	a.statusChanged()
	return done
}

// wait blocks until ctx ends or a restart is requested, which it reports.
func (a *Agent) wait(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-a.restart:
		a.log.Info("restart requested")
		return true
	}
}

func (a *Agent) shutdownUnits() error {
	ctx, cancel := clockwork.WithTimeout(context.Background(), a.clock, a.stopTimeout)
	defer cancel()
	if err := a.sup.Shutdown(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrStopTimeout, err)
	}
	return nil
}

// requestRestart is agent.restart's action; it never blocks.
func (a *Agent) requestRestart() {
	select {
	case a.restart <- struct{}{}:
	default:
	}
}

func (a *Agent) startBroker() (*broker.Broker, error) {
	if !a.cfg.Broker.Embedded() {
		return nil, nil
	}
	logger := slog.New(brokerLogFilter{next: a.log.Handler(), closing: &a.brokerClosing})
	b := broker.New(broker.Options{Listen: EmbeddedBrokerListen, Logger: logger})
	if err := b.Start(); err != nil {
		hint := ""
		if errors.Is(err, syscall.EADDRINUSE) {
			hint = " (is another broker running there? use it with --broker tcp://" + EmbeddedBrokerListen + ")"
		}
		return nil, fmt.Errorf("agent: embedded broker on %s: %w%s", EmbeddedBrokerListen, err, hint)
	}
	return b, nil
}

func (a *Agent) closeBroker(b *broker.Broker) error {
	if b == nil {
		return nil
	}
	a.brokerClosing.Store(true)
	return b.Close()
}

// logStart logs, in one line, what the agent runs with.
func (a *Agent) logStart(ln net.Listener) {
	metricsAddr := "off"
	if ln != nil {
		metricsAddr = ln.Addr().String()
	}
	broker := strings.Join(a.brokerURLs, " ")
	if a.cfg.Broker.Embedded() {
		broker += " (embedded)"
	}
	a.log.Info("agent started", "id", a.cfg.ID, "version", version.Version, "broker", broker,
		"data_dir", a.cfg.DataDir, "metrics", metricsAddr)
	for _, w := range a.cfg.Warnings() {
		a.log.Warn("config warning", "warning", w)
	}
}

func (a *Agent) listenMetrics() (net.Listener, error) {
	if a.cfg.Metrics.Enabled != nil && !*a.cfg.Metrics.Enabled {
		return nil, nil
	}
	return metrics.Listen(a.cfg.Metrics.Listen)
}

// Reexec replaces the process with a fresh start of the same binary and
// arguments (after Run returned ErrRestart).
func Reexec() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("agent: re-exec: %w", err)
	}
	return syscall.Exec(exe, os.Args, os.Environ())
}

func levelOf(stream string) slog.Level {
	if stream == "stderr" {
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

func levelOfErr(err error) slog.Level {
	if err != nil {
		return slog.LevelError
	}
	return slog.LevelInfo
}
