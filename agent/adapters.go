package agent

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"time"

	"github.com/drover-iot/drover/agent/control"
	"github.com/drover-iot/drover/agent/desired"
	"github.com/drover-iot/drover/agent/journal"
	"github.com/drover-iot/drover/agent/metrics"
	"github.com/drover-iot/drover/agent/mqttlink"
	"github.com/drover-iot/drover/agent/outbox"
	"github.com/drover-iot/drover/agent/supervise"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/scheduler"
)

// followBuffer is the channel size of a log.follow subscription.
const followBuffer = 256

// journalAdapter serves control.Journal and metrics.JournalSource.
type journalAdapter struct{ j *journal.Journal }

var (
	_ control.Journal       = journalAdapter{}
	_ metrics.JournalSource = journalAdapter{}
)

func (a journalAdapter) query(q fleet.LogsArgs) (journal.Query, error) {
	out := journal.Query{N: q.N, Source: q.Source}
	if q.Grep != "" {
		re, err := regexp.Compile(q.Grep)
		if err != nil {
			return out, fmt.Errorf("%w: grep: %w", control.ErrBadArgs, err)
		}
		out.Grep = re
	}
	if q.Level != "" {
		l, err := fleet.ParseLevel(q.Level)
		if err != nil {
			return out, fmt.Errorf("%w: level: %w", control.ErrBadArgs, err)
		}
		out.MinLevel = l
	}
	return out, nil
}

func (a journalAdapter) Cat(q fleet.LogsArgs) ([]fleet.LogRecord, error) {
	jq, err := a.query(q)
	if err != nil {
		return nil, err
	}
	recs := a.j.Cat(jq)
	out := make([]fleet.LogRecord, len(recs))
	for i, r := range recs {
		out[i] = logRecord(r)
	}
	return out, nil
}

func (a journalAdapter) Follow(q fleet.LogsArgs) (control.Follower, error) {
	jq, err := a.query(q)
	if err != nil {
		return nil, err
	}
	f := a.j.Follow(jq, followBuffer)
	out := make(chan fleet.LogRecord)
	stop := make(chan struct{})
	go func() {
		defer close(out)
		for r := range f.C() {
			select {
			case out <- logRecord(r):
			case <-stop:
				return
			}
		}
	}()
	return &follower{f: f, c: out, stop: stop}, nil
}

func (a journalAdapter) JournalStats() metrics.JournalStats {
	s := a.j.Stats()
	records := make(map[string]uint64, len(s.ByLevel))
	for i, n := range s.ByLevel {
		records[journal.BucketNames[i]] = n
	}
	return metrics.JournalStats{Records: records, Dropped: s.FollowerDropped + s.DiskDropped}
}

type follower struct {
	f    *journal.Follower
	c    chan fleet.LogRecord
	stop chan struct{}
}

func (f *follower) C() <-chan fleet.LogRecord { return f.c }
func (f *follower) Close()                    { close(f.stop); f.f.Close() }

func logRecord(r journal.Record) fleet.LogRecord {
	rec := fleet.LogRecord{Seq: r.Seq, TS: r.Time, Level: r.Level.String(), Source: r.Source, Msg: r.Msg, Dropped: r.Dropped}
	if r.Attrs != "" {
		rec.Attrs = attrMap(r.Attrs)
	}
	return rec
}

// linkAdapter serves control.Publisher and metrics.MQTTSource.
type linkAdapter struct{ l *mqttlink.Link }

func (a linkAdapter) PublishReply(topic string, payload []byte, expires time.Time) error {
	return a.l.Publish(mqttlink.Message{Topic: topic, Payload: payload, QoS: 1, Class: mqttlink.ClassReply, Expires: expires})
}

func (a linkAdapter) PublishLog(topic string, payload []byte) error {
	return a.l.Publish(mqttlink.Message{Topic: topic, Payload: payload, QoS: 0})
}

func (a linkAdapter) MQTTStats() metrics.MQTTStats {
	s := a.l.Stats()
	return metrics.MQTTStats{Connected: s.Connected, Broker: s.Broker, Reconnects: s.Reconnects, Received: s.Received,
		Sent: s.Sent, Dropped: s.Dropped + s.InboxDropped, Queued: s.Queued}
}

// outboxAdapter serves metrics.OutboxSource.
type outboxAdapter struct {
	o   *outbox.Outbox
	now func() time.Time
}

func (a outboxAdapter) OutboxStats() metrics.OutboxStats {
	s := a.o.Stats()
	out := metrics.OutboxStats{Records: s.Records, Bytes: s.Bytes, Appended: s.Appended, Acked: s.Acked,
		Writes: s.Writes, WriteErrors: s.WriteErrors, Dropped: s.Dropped, Seq: s.Seq}
	if !s.Oldest.IsZero() {
		out.OldestAgeSeconds = max(a.now().Sub(s.Oldest).Seconds(), 0)
	}
	return out
}

// schedAdapter serves control.Schedules and metrics.JobSource.
type schedAdapter struct {
	s   *scheduler.Scheduler
	reg *scheduler.Registry
}

func (a schedAdapter) Jobs() []fleet.Job {
	js := a.s.Jobs()
	out := make([]fleet.Job, len(js))
	for i, j := range js {
		out[i] = jobStatus(j)
	}
	return out
}

func (a schedAdapter) HasJob(job string) bool {
	_, ok := a.handler(job)
	return ok
}

// handler resolves a schedule.add job: a registered handler, or the name
// of a command job of the config (whose handler is "command:<name>").
func (a schedAdapter) handler(job string) (string, bool) {
	for _, h := range []string{job, commandHandlerPrefix + job} {
		if _, ok := a.reg.Lookup(h); ok {
			return h, true
		}
	}
	return "", false
}

func (a schedAdapter) Add(args fleet.ScheduleAddArgs) error {
	h, ok := a.handler(args.Job)
	if !ok {
		h = args.Job // the scheduler reports the unknown handler
	}
	return a.s.Add(scheduler.JobDef{Name: args.Name, Spec: args.Spec, Handler: h, Args: args.Args, Tags: []string{TagRemote}})
}

// Remove removes a job added by schedule.add or from the config; a job a
// group manages is left to its group (fleetctl apply, delete group).
func (a schedAdapter) Remove(name string) error {
	if st, ok := a.s.Job(name); ok && slices.Contains(st.Def.Tags, desired.TagGroup) {
		return fmt.Errorf("%w: %q runs for a group (tags %v): change the group with `fleetctl apply` or `fleetctl delete group`",
			ErrGroupJob, name, st.Def.Tags)
	}
	return a.s.Remove(name)
}
func (a schedAdapter) Pause(name string) error  { return a.s.Pause(name) }
func (a schedAdapter) Resume(name string) error { return a.s.Resume(name) }
func (a schedAdapter) RunNow(name string) error { return a.s.RunNow(name) }

func jobStatus(j scheduler.JobStatus) fleet.Job {
	out := fleet.Job{
		Name: j.Def.Name, Spec: j.Spec, Handler: j.Def.Handler, Tags: j.Def.Tags, Paused: j.Paused,
		Broken: j.Broken, LastDuration: j.LastDuration, LastError: j.LastError, Lateness: j.Lateness,
		Running: j.Running, Runs: j.Runs, Skips: j.Skips, Failures: j.Failures,
	}
	out.NextRun = timePtr(j.NextRun)
	out.LastRun = timePtr(j.LastRun)
	return out
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// classify maps the back ends' errors to protocol error codes.
func classify(err error) *fleet.Error {
	code := fleet.Code("")
	switch {
	case errors.Is(err, supervise.ErrNotFound), errors.Is(err, scheduler.ErrNotFound):
		code = fleet.CodeNotFound
	case errors.Is(err, scheduler.ErrExists), errors.Is(err, scheduler.ErrBusy), errors.Is(err, ErrGroupJob):
		code = fleet.CodeConflict
	case errors.Is(err, scheduler.ErrInvalidJob), errors.Is(err, scheduler.ErrUnknownHandler),
		errors.Is(err, scheduler.ErrNoFutureRun):
		code = fleet.CodeBadRequest
	case errors.Is(err, scheduler.ErrStopped), errors.Is(err, supervise.ErrClosed):
		code = fleet.CodeUnavailable
	default:
		return nil
	}
	return &fleet.Error{Code: code, Message: err.Error()}
}

// discardLogger is the default logger of libraries.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// attrMap turns a record's attribute text into the protocol's attrs object.
func attrMap(text string) map[string]any {
	pairs := journal.SplitAttrs(text)
	m := make(map[string]any, len(pairs))
	for k, v := range pairs {
		m[k] = v
	}
	return m
}
