// Package agent wires the device side of Drover together: the journal, the
// task and service supervisor, the scheduler (persisted in the data dir),
// the MQTT link and its command dispatcher, the retained status, and the
// Prometheus metrics. The daemon in cmd/agent is a thin shell around it,
// and a Go program can embed it and register its own tasks and handlers.
package agent

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/agent/control"
	"github.com/drover-iot/drover/agent/desired"
	"github.com/drover-iot/drover/agent/journal"
	"github.com/drover-iot/drover/agent/metrics"
	"github.com/drover-iot/drover/agent/mqttlink"
	"github.com/drover-iot/drover/agent/outbox"
	"github.com/drover-iot/drover/agent/sdnotify"
	"github.com/drover-iot/drover/agent/supervise"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/internal/version"
	"github.com/drover-iot/drover/scheduler"
)

const (
	// EmbeddedBrokerListen is where the embedded broker listens when the
	// config names no broker.
	EmbeddedBrokerListen = "127.0.0.1:1883"
	// scheduleFile holds the persisted schedules in the data dir.
	scheduleFile = "schedules.json"
	// outboxFile holds the QoS 1 messages not yet acknowledged (agent/outbox).
	outboxFile = "outbox.db"
	// TagRemote marks schedules added over MQTT (schedule.add): they
	// persist across restarts.
	TagRemote = "remote"
	// TagConfig marks jobs defined by the config file or the demo: they
	// follow the current config, so a saved one that is no longer
	// configured is dropped at start.
	TagConfig = "config"
	// DefaultStopTimeout bounds each part's stop.
	DefaultStopTimeout = 10 * time.Second
)

// Agent is one device's daemon. Build it with New, register tasks and
// handlers, then call Run.
type Agent struct {
	cfg         *config.Config
	log         *slog.Logger
	clock       clockwork.Clock
	stopTimeout time.Duration
	topics      fleet.Topics
	started     time.Time
	brokerURLs  []string

	journal  *journal.Journal
	sup      *supervise.Supervisor
	reg      *scheduler.Registry
	sched    *scheduler.Scheduler
	link     *mqttlink.Link
	outbox   *outbox.Outbox
	disp     *control.Dispatcher
	metrics  *metrics.Metrics
	ota      *otaPart // nil when OTA is off (no trusted keys)
	groups   *desired.Converger
	groupBox *desired.Mailbox
	sensors  *sensorPart
	notify   *sdnotify.Notifier
	statusCh chan struct{}
	restart  chan struct{}
	// brokerClosing silences the embedded broker's closed-connection
	// errors once the agent closes it.
	brokerClosing atomic.Bool

	selftestArgs []string // of the new binary's selftest before an OTA swap

	mu    sync.Mutex
	tasks []supervise.TaskSpec // added when Run starts
}

// Option configures an Agent.
type Option func(*Agent)

// WithLogger also sends the agent's logs to l (they always go to the
// journal). Default: journal only.
func WithLogger(l *slog.Logger) Option { return func(a *Agent) { a.log = l } }

// WithClock sets the clock of every part. Default: the real clock.
func WithClock(c clockwork.Clock) Option { return func(a *Agent) { a.clock = c } }

// WithStopTimeout bounds the stop of each part. Default: DefaultStopTimeout.
func WithStopTimeout(d time.Duration) Option { return func(a *Agent) { a.stopTimeout = d } }

// WithSelftestArgs sets the arguments of the new binary's selftest, run
// before an OTA swap, so that it checks this device's config. Default:
// SelftestArgs(cfg, "") — the effective id, data dir and broker.
func WithSelftestArgs(args ...string) Option {
	return func(a *Agent) { a.selftestArgs = args }
}

// SelftestArgs returns the arguments of `agent selftest` for the
// effective cfg: the config file (when not empty) and the values that
// flags or the environment may have overridden (--id, --data-dir,
// --broker).
func SelftestArgs(cfg *config.Config, configPath string) []string {
	args := []string{"selftest"}
	if configPath != "" {
		args = append(args, "--config", configPath)
	}
	args = append(args, "--id", cfg.ID, "--data-dir", cfg.DataDir)
	if cfg.Broker.URL != "" {
		args = append(args, "--broker", cfg.Broker.URL)
	}
	return args
}

// New checks cfg and builds every part; nothing runs before Run. An
// invalid device id gives an error wrapping ErrConfig.
func New(cfg *config.Config, opts ...Option) (*Agent, error) {
	if err := fleet.ValidDeviceID(cfg.ID); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	a := &Agent{cfg: cfg, clock: clockwork.NewRealClock(), stopTimeout: DefaultStopTimeout,
		topics: fleet.Topics{Prefix: cfg.Prefix}, statusCh: make(chan struct{}, 1), restart: make(chan struct{}, 1)}
	for _, o := range opts {
		o(a)
	}
	if a.selftestArgs == nil {
		a.selftestArgs = SelftestArgs(cfg, "")
	}
	a.started = a.clock.Now()
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("%w: data dir: %w (choose another directory with --data-dir)", ErrConfig, err)
	}
	if err := a.buildJournal(); err != nil {
		return nil, err
	}
	a.buildCore()
	if err := a.buildSensors(); err != nil {
		return nil, err
	}
	if err := a.buildLink(); err != nil {
		return nil, err
	}
	if err := a.buildOTA(); err != nil {
		return nil, err
	}
	return a, a.buildDispatcher()
}

func (a *Agent) buildJournal() error {
	opts := journal.Options{Records: a.cfg.Journal.Records, Clock: a.clock}
	if a.cfg.Journal.File != "" {
		opts.Disk = &journal.DiskOptions{Path: a.cfg.Journal.File, MaxBytes: int64(a.cfg.Journal.FileMax)}
	}
	j, err := journal.New(opts)
	if err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	a.journal = j
	var h slog.Handler = j.Handler(nil)
	if a.log != nil {
		h = slog.NewMultiHandler(h, a.log.Handler())
	}
	a.log = slog.New(h)
	return nil
}

func (a *Agent) buildCore() {
	a.buildNotifier()
	a.sup = supervise.New(supervise.WithClock(a.clock), supervise.WithLogger(a.log),
		supervise.WithStateDir(a.cfg.DataDir), supervise.WithOnChange(a.statusChanged))
	a.reg = scheduler.NewRegistry()
	a.sched = scheduler.New(a.reg, scheduler.WithClock(a.clock), scheduler.WithLogger(a.log.With("component", "scheduler")),
		scheduler.WithStore(scheduler.NewFileStore(filepath.Join(a.cfg.DataDir, scheduleFile))),
		scheduler.WithObserver(a.observeRun), scheduler.WithStopTimeout(a.stopTimeout),
		scheduler.WithRestoreFilter(keepRestored))
	a.registerBuiltinHandlers()
}

func (a *Agent) buildLink() error {
	a.brokerURLs = a.cfg.Broker.List()
	if a.cfg.Broker.Embedded() {
		a.brokerURLs = []string{"tcp://" + EmbeddedBrokerListen}
	}
	a.outbox = outbox.New(a.outboxOptions())
	lc, err := a.linkConfig()
	if err != nil {
		return err
	}
	link, err := mqttlink.New(lc, mqttlink.WithLogger(a.log))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	a.link = link
	ja, sa := journalAdapter{a.journal}, schedAdapter{a.sched, a.reg}
	a.metrics = metrics.New(metrics.WithUnits(a.sup), metrics.WithJobs(sa), metrics.WithMQTT(linkAdapter{link}),
		metrics.WithOutbox(outboxAdapter{a.outbox, a.clock.Now}),
		metrics.WithJournal(ja), metrics.WithSensors(a.sensors), metrics.WithInfo(a.cfg.ID, version.Version, version.Commit),
		metrics.WithBuild(version.BuildNumber()))
	return nil
}

func (a *Agent) buildDispatcher() error {
	keys, err := controlKeys(a.cfg.Control.Keys)
	if err != nil {
		return err
	}
	opts := []control.Option{control.WithClock(a.clock), control.WithLogger(a.log), control.WithTopics(a.topics),
		control.WithClassifier(classify), control.WithStopTimeout(a.stopTimeout)}
	if keys != nil {
		opts = append(opts, control.WithKeys(keys))
	}
	a.buildGroups(keys)
	d, err := control.New(a.cfg.ID, control.Deps{
		Publisher: linkAdapter{a.link}, Units: a.sup, Schedules: schedAdapter{a.sched, a.reg},
		Journal: journalAdapter{a.journal}, Sensors: a.sensors, Info: a.info, Status: a.snapshot,
		Config: a.redactedConfig, Restart: a.requestRestart, OTA: a.otaDep(),
	}, opts...)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	a.disp = d
	return nil
}

// RegisterTask registers fn and adds a task of the same name, started when
// Run starts (library use, like asyncmd's @aiotask).
func (a *Agent) RegisterTask(name string, fn supervise.Func) error {
	if err := a.sup.Register(name, fn); err != nil {
		return fmt.Errorf("%w: task %s: %w", ErrRegister, name, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tasks = append(a.tasks, supervise.TaskSpec{Name: name, Func: name})
	return nil
}

// RegisterHandler registers a scheduler handler under name; config jobs
// and schedule.add over MQTT may then name it.
func (a *Agent) RegisterHandler(name string, h scheduler.Handler) error {
	if err := a.reg.Register(name, h); err != nil {
		return fmt.Errorf("%w: handler %s: %w", ErrRegister, name, err)
	}
	return nil
}

// Logger returns the agent's logger (journal, and WithLogger's handler).
func (a *Agent) Logger() *slog.Logger { return a.log }

// Metrics returns the agent's metrics, for extra collectors.
func (a *Agent) Metrics() *metrics.Metrics { return a.metrics }
