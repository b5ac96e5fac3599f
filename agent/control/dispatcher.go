package control

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
)

// Defaults of the dispatcher's options.
const (
	DefaultWorkers     = 4
	DefaultMaxFollows  = 8
	DefaultStopTimeout = 5 * time.Second
	DefaultLogsN       = 100
)

// Dispatcher runs the commands received by one device.
type Dispatcher struct {
	dev         string
	deps        Deps
	topics      fleet.Topics
	clock       clockwork.Clock
	log         *slog.Logger
	limit       int
	workers     int
	stopTimeout time.Duration
	actionWait  time.Duration
	classify    func(error) *fleet.Error
	cache       *replyCache
	keys        *fleet.Keyring // nil: requests need no signature
	replay      *replayGuard
	started     time.Time
	handlers    map[string]handler // fleet's command table, implemented
	follows     *followSet
	wg          sync.WaitGroup
}

// Option configures a Dispatcher.
type Option func(*Dispatcher)

// WithClock sets the clock. Default: the real clock.
func WithClock(c clockwork.Clock) Option { return func(d *Dispatcher) { d.clock = c } }

// WithLogger sets the logger. Default: a discard logger.
func WithLogger(l *slog.Logger) Option {
	return func(d *Dispatcher) { d.log = l.With("component", "control") }
}

// WithTopics sets the topic prefix. Default: fleet.Topics{} ("drover").
func WithTopics(t fleet.Topics) Option { return func(d *Dispatcher) { d.topics = t } }

// WithPayloadLimit sets the largest accepted request. Default: fleet.DefaultPayloadLimit.
func WithPayloadLimit(n int) Option { return func(d *Dispatcher) { d.limit = n } }

// WithWorkers bounds how many requests run at once. Default: DefaultWorkers.
func WithWorkers(n int) Option { return func(d *Dispatcher) { d.workers = max(n, 1) } }

// WithStopTimeout bounds Run's wait for running commands and leases at
// the end. Default: DefaultStopTimeout.
func WithStopTimeout(t time.Duration) Option { return func(d *Dispatcher) { d.stopTimeout = t } }

// WithActionWait bounds how long task.* and service.* commands wait for
// their units to reflect the action before replying. Default:
// DefaultActionWait (3 * time.Second).
func WithActionWait(t time.Duration) Option { return func(d *Dispatcher) { d.actionWait = t } }

// WithClassifier maps dependency errors to protocol errors (for example a
// back end's own not-found error); it returns nil to fall back to the
// default mapping. Default: none.
func WithClassifier(f func(error) *fleet.Error) Option {
	return func(d *Dispatcher) { d.classify = f }
}

// New builds a dispatcher for device dev.
func New(dev string, deps Deps, opts ...Option) (*Dispatcher, error) {
	if err := fleet.ValidDeviceID(dev); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if deps.Publisher == nil {
		return nil, fmt.Errorf("%w: no publisher", ErrConfig)
	}
	d := &Dispatcher{
		dev: dev, deps: deps, clock: clockwork.NewRealClock(),
		log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		workers: DefaultWorkers, stopTimeout: DefaultStopTimeout, actionWait: DefaultActionWait,
	}
	for _, o := range opts {
		o(d)
	}
	d.cache = newReplyCache(d.clock, 0, 0)
	if d.replay == nil {
		d.replay = newReplayGuard(0)
	}
	d.started = d.clock.Now()
	handlers, err := fromTable(d.implementations())
	if err != nil {
		return nil, err
	}
	d.handlers = handlers
	d.follows = newFollowSet(d, DefaultMaxFollows)
	return d, nil
}

// Run handles the request payloads received on in, at most the configured
// number at a time, until ctx ends; then it waits (bounded) for running
// commands and ends the follow leases. It blocks.
func (d *Dispatcher) Run(ctx context.Context, in <-chan []byte) error {
	sem := make(chan struct{}, d.workers)
	defer d.follows.closeAll()
	for {
		select {
		case <-ctx.Done():
			return d.wait()
		case payload := <-in:
			sem <- struct{}{} // handlers honour ctx, so a slot frees up
			d.wg.Add(1)
			go func() {
				defer func() { <-sem; d.wg.Done() }()
				d.Handle(ctx, payload)
			}()
		}
	}
}

func (d *Dispatcher) wait() error {
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-d.clock.After(d.stopTimeout):
		return fmt.Errorf("%w: commands still running after %v", ErrStopTimeout, d.stopTimeout)
	}
}

// Handle decodes and runs one request and publishes its reply. It returns
// the reply's payload as published, and false when none was sent (a
// duplicate still running). A duplicate already answered gets the cached
// payload again.
func (d *Dispatcher) Handle(ctx context.Context, payload []byte) ([]byte, bool) {
	req, perr := fleet.DecodeRequest(payload, d.limit, d.clock.Now())
	if perr != nil {
		return d.refuse(req, perr), true
	}
	if d.keys != nil {
		if reply, sent, done := d.admitSigned(req); done {
			return reply, sent
		}
	}
	cached, claim := d.cache.Claim(req.From, req.ID)
	switch claim {
	case claimInFlight:
		return nil, false
	case claimDone:
		return d.publish(req, cached), true
	}
	reply, ok := d.execute(ctx, req)
	d.cache.Complete(req.From, req.ID, reply)
	d.publish(req, reply)
	if ok && req.Cmd == fleet.CmdAgentRestart {
		d.deps.Restart()
	}
	return reply, true
}

// execute runs req's handler, turning a panic into an internal error, and
// returns the encoded final reply and whether it reports success.
func (d *Dispatcher) execute(ctx context.Context, req fleet.Request) (reply []byte, ok bool) {
	h, found := d.handlers[req.Cmd]
	if !found {
		return fleet.EncodeError(req.ID, fleet.Errorf(fleet.CodeUnknownCommand, "unknown command %q", clip(req.Cmd))), false
	}
	defer func() {
		if p := recover(); p != nil {
			d.log.Error("command panicked", "cmd", req.Cmd, "panic", p)
			reply, ok = fleet.EncodeError(req.ID, fleet.Errorf(fleet.CodeInternal, "command %s panicked: %v", req.Cmd, p)), false
		}
	}()
	res, err := h.run(ctx, req)
	if err != nil {
		pe := d.protocolError(err)
		level := slog.LevelInfo // the requester's mistake
		if pe.Code == fleet.CodeInternal {
			level = slog.LevelWarn
		}
		d.log.Log(ctx, level, "command failed", "cmd", req.Cmd, "id", req.ID, "code", pe.Code, "err", err)
		return fleet.EncodeError(req.ID, pe), false
	}
	return fleet.EncodeResult(req.ID, res), true
}

// refuse logs why req is not run and publishes the error reply.
func (d *Dispatcher) refuse(req fleet.Request, e *fleet.Error) []byte {
	d.log.Warn("refused request", "id", req.ID, "cmd", req.Cmd, "from", req.From, "code", e.Code, "err", e.Message)
	return d.publish(req, fleet.EncodeError(req.ID, e))
}

// publish sends an encoded reply on the reply topic of req and returns it.
func (d *Dispatcher) publish(req fleet.Request, payload []byte) []byte {
	topic := d.topics.Reply(d.dev, req.From)
	// A reply waiting offline past its request's exp has nobody left to
	// read it; the refusal of a request that came in expired goes out now.
	var expires time.Time
	if req.Exp != nil && req.Exp.After(d.clock.Now()) {
		expires = *req.Exp
	}
	if err := d.deps.Publisher.PublishReply(topic, payload, expires); err != nil {
		d.log.Warn("reply not queued", "topic", topic, "id", req.ID, "err", err)
	}
	return payload
}

// protocolError maps err to the reply's error object.
func (d *Dispatcher) protocolError(err error) *fleet.Error {
	var fe *fleet.Error
	if errors.As(err, &fe) {
		return fe
	}
	if d.classify != nil {
		if e := d.classify(err); e != nil {
			return e
		}
	}
	for _, m := range []struct {
		sentinel error
		code     fleet.Code
	}{{ErrNotFound, fleet.CodeNotFound}, {ErrConflict, fleet.CodeConflict}, {ErrBadArgs, fleet.CodeBadRequest}, {ErrUnavailable, fleet.CodeUnavailable}} {
		if errors.Is(err, m.sentinel) {
			return &fleet.Error{Code: m.code, Message: err.Error()}
		}
	}
	return &fleet.Error{Code: fleet.CodeInternal, Message: err.Error()}
}

func clip(s string) string {
	const maxLen = 64
	if len(s) > maxLen {
		return s[:maxLen] + "..."
	}
	return s
}
