// Package ota is the device-side entry point of signed OTA updates: an
// Updater that takes the retained manifest of an artifact from the broker,
// verifies and checks it, fetches the chunks it lacks (or a bsdiff delta),
// and hands the result to the apply state machine, which swaps the binary,
// re-executes the agent and runs the trial window on the next start.
//
// The agent calls New and Boot at start, Trial.Run with its health check
// when Boot returns a trial, Apply for the ota.apply command and Status for
// ota.status and the status snapshot. See docs/ota.md.
package ota

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/ota/apply"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/sign"
	"github.com/drover-iot/drover/ota/state"
	"github.com/drover-iot/drover/ota/transfer"
)

// Config configures an Updater.
type Config struct {
	// StateDir holds the state record, the staged download and its progress.
	StateDir string
	// Binary is the agent binary to replace. Default: os.Executable().
	Binary string
	// Prefix is the topic prefix. Default: "drover".
	Prefix string
	// Version and Build describe the running agent.
	Version string
	Build   uint64
	// OS and Arch are the device's platform, which picks its build of a
	// multi-platform artifact and must match the manifest. Default:
	// runtime.GOOS and runtime.GOARCH.
	OS, Arch string
	// TrustedKeys are minisign public keys (several for rotation).
	TrustedKeys    []string
	AllowDowngrade bool
	// Trial is the healthy time that commits an update. Default: 2m.
	Trial time.Duration
	// SelftestArgs are given to the new binary. Default: ["selftest"].
	SelftestArgs []string
	// Window is the number of chunks fetched at once. Default: 8.
	Window int
	// Stall is how long the download waits for a chunk before subscribing
	// the window again. Default: transfer's (20s).
	Stall time.Duration
	// ManifestTimeout bounds the wait for the retained manifest. Default: 30s.
	ManifestTimeout time.Duration
	// OnStatus is called with each new record (transitions and progress).
	OnStatus func(state.Record)
	// Exec replaces the process. Default: syscall.Exec of the binary.
	Exec   func(path string) error
	Clock  clockwork.Clock
	Logger *slog.Logger
}

// Updater runs OTA updates for one device.
type Updater struct {
	cfg     Config
	keys    *sign.Keyring
	sub     transfer.Subscriber
	machine *apply.Machine

	mu   sync.Mutex // guards rec and busy
	rec  state.Record
	busy bool
}

// New loads the OTA state and returns an Updater that fetches through sub.
func New(cfg Config, sub transfer.Subscriber) (*Updater, error) {
	if cfg.Clock == nil {
		cfg.Clock = clockwork.NewRealClock()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ManifestTimeout <= 0 {
		cfg.ManifestTimeout = 30 * time.Second
	}
	if cfg.OS == "" || cfg.Arch == "" {
		cfg.OS, cfg.Arch = runtime.GOOS, runtime.GOARCH
	}
	keys, err := sign.NewKeyring(cfg.TrustedKeys...)
	if err != nil {
		return nil, fmt.Errorf("ota: trusted keys: %w", err)
	}
	u := &Updater{cfg: cfg, keys: keys, sub: sub}
	u.machine, err = apply.New(apply.Options{
		StateDir: cfg.StateDir, Binary: cfg.Binary, Version: cfg.Version, Build: cfg.Build,
		Keys: keys, SelftestArgs: cfg.SelftestArgs, TrialWindow: cfg.Trial,
		Exec: cfg.Exec, OnTransition: u.publish, Clock: cfg.Clock, Logger: cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	u.rec = u.machine.Record()
	return u, nil
}

// KeyIDs returns the trusted key ids, for the birth document.
func (u *Updater) KeyIDs() []string { return u.keys.IDs() }

// Boot finishes or undoes an interrupted update and returns the trial of a
// candidate to supervise (nil when there is none). Call it once, first
// thing at start, except in a process that runs on trial (apply.TrialPipe).
func (u *Updater) Boot() (*apply.Trial, error) { return u.machine.Boot() }

// Status returns the current OTA record (for ota.status and the status
// snapshot's "ota" field).
func (u *Updater) Status() state.Record {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.rec
}

func (u *Updater) publish(r state.Record) {
	u.mu.Lock()
	u.rec = r
	u.mu.Unlock()
	if u.cfg.OnStatus != nil {
		u.cfg.OnStatus(r)
	}
}

func (u *Updater) topics(artifact string) transfer.Topics {
	return transfer.Topics{Prefix: u.cfg.Prefix, Artifact: artifact}
}

// running describes this device for manifest.Check.
func (u *Updater) running() manifest.Running {
	return manifest.Running{Build: u.cfg.Build, OS: u.cfg.OS, Arch: u.cfg.Arch,
		FreeBytes: FreeBytes(u.cfg.StateDir), AllowDowngrade: u.cfg.AllowDowngrade}
}

// FreeBytes is the space available to an unprivileged user in dir's file
// system (0 when it cannot be read).
func FreeBytes(dir string) uint64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0
	}
	return st.Bavail * uint64(st.Bsize)
}

func (u *Updater) envelopePath() string { return filepath.Join(u.cfg.StateDir, "manifest.envelope") }

func (u *Updater) stagedPath(kind transfer.Kind) string {
	return filepath.Join(u.cfg.StateDir, "download."+string(kind))
}

func (u *Updater) claim() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.busy || (u.rec.State.Busy() && u.rec.State != state.Downloading) {
		return fmt.Errorf("%w (%s)", ErrBusy, u.rec.State)
	}
	u.busy = true
	return nil
}

func (u *Updater) release() {
	u.mu.Lock()
	u.busy = false
	u.mu.Unlock()
}

func removeStaged(paths ...string) {
	for _, p := range paths {
		_ = os.Remove(p)
		_ = os.Remove(transfer.ProgressPath(p))
	}
}
