package rollout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/internal/atomicfile"
)

// Driver reaches the devices: the fleet client in fleetctl, a fake in tests.
type Driver interface {
	// Push asks the device to apply the artifact (the ota.apply command).
	// An error means the device was not reached; it is retried later.
	Push(ctx context.Context, dev, artifact string) error
	// Status reads the device's build and OTA state (ota.status).
	Status(ctx context.Context, dev string) (DeviceStatus, error)
	// Targets lists the devices selector matches now, with whether each
	// is online (from the retained states, without asking the devices).
	Targets(ctx context.Context, selector string) ([]Target, error)
}

// Phase is the state of the whole rollout.
type Phase string

// Phases (stable strings, persisted).
const (
	Running Phase = "running"
	Paused  Phase = "paused"
	Aborted Phase = "aborted"
	Done    Phase = "done"
)

// Device is the persisted progress of one device.
type Device struct {
	State    DeviceState `json:"state"`
	Reason   string      `json:"reason,omitempty"`
	PushedAt time.Time   `json:"pushed_at,omitzero"`
}

// Record is the persisted rollout.
type Record struct {
	V       int                `json:"v"`
	Plan    Plan               `json:"plan"`
	Phase   Phase              `json:"phase"`
	Reason  string             `json:"reason,omitempty"`
	Stage   int                `json:"stage"`
	Devices map[string]*Device `json:"devices"`
}

// Options tune a Rollout.
type Options struct {
	// Poll is the interval between steps in Run. Default: 5s.
	Poll   time.Duration
	Clock  clockwork.Clock
	Logger *slog.Logger
	// OnStep is called after each step with the record (progress output).
	OnStep func(Record)
}

// Rollout is one staged rollout bound to its state file.
type Rollout struct {
	path   string
	driver Driver
	opts   Options
	rec    Record
	// offline are the devices known offline at this step (not persisted).
	offline map[string]bool
}

// Open continues the rollout persisted at path, or starts plan there when
// the file does not exist (plan may be nil to only continue).
func Open(path string, plan *Plan, driver Driver, opts Options) (*Rollout, error) {
	if opts.Poll <= 0 {
		opts.Poll = 5 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = clockwork.NewRealClock()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Rollout{path: path, driver: driver, opts: opts}
	rec, err := load(path)
	switch {
	case err == nil:
		r.rec = rec
		return r, nil
	case !errors.Is(err, fs.ErrNotExist) || plan == nil:
		return nil, err
	}
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	if plan.StageTimeout <= 0 {
		plan.StageTimeout = 30 * time.Minute
	}
	r.rec = Record{V: 1, Plan: *plan, Phase: Running, Devices: map[string]*Device{}}
	for _, d := range plan.Devices {
		r.rec.Devices[d] = &Device{State: Pending}
	}
	return r, r.save()
}

func load(path string) (Record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Record{}, err
	}
	var rec Record
	if err := json.Unmarshal(b, &rec); err != nil || rec.V != 1 || rec.Devices == nil {
		return Record{}, fmt.Errorf("%w: %s", ErrCorrupt, path)
	}
	return rec, nil
}

func (r *Rollout) save() error {
	b, err := json.MarshalIndent(r.rec, "", "  ")
	if err != nil {
		return fmt.Errorf("rollout: encode: %w", err)
	}
	if err := atomicfile.Write(r.path, b, 0o600); err != nil {
		return fmt.Errorf("rollout: save: %w", err)
	}
	return nil
}

// Record returns the rollout's current record.
func (r *Rollout) Record() Record { return r.rec }

// ControlPath is the file through which another process requests pause,
// resume or abort of the rollout persisted at path.
func ControlPath(path string) string { return path + ".control" }

// Request asks the rollout at path to pause, resume (Running) or abort;
// a running Run applies it at its next step.
func Request(path string, p Phase, reason string) error {
	return atomicfile.Write(ControlPath(path), []byte(string(p)+"\n"+reason), 0o600)
}

// applyControl takes a pending request from the control file.
func (r *Rollout) applyControl() error {
	b, err := os.ReadFile(ControlPath(r.path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rollout: read control: %w", err)
	}
	_ = os.Remove(ControlPath(r.path))
	want, reason, _ := strings.Cut(string(b), "\n")
	if r.rec.Phase == Done || r.rec.Phase == Aborted {
		return nil
	}
	switch Phase(want) {
	case Running, Paused, Aborted:
		r.rec.Phase, r.rec.Reason = Phase(want), reason
	}
	return r.save()
}
