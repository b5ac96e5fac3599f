package journal

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/drover-iot/drover/fleet"
)

// Source names follow one convention: SourceAgent for the agent itself,
// "mqtt", "ota", "sched"... for its subsystems, and a prefix plus the unit
// name for supervised work: "task:blink", "svc:modbus", "job:backup".
const (
	// SourceAgent is the default source of records that name none.
	SourceAgent = "agent"
	// PrefixTask starts the source of a task's records.
	PrefixTask = "task:"
	// PrefixService starts the source of a service's records.
	PrefixService = "svc:"
	// PrefixJob starts the source of a scheduled job's records.
	PrefixJob = "job:"
)

// TimeLayout is the timestamp format of Record.AppendText.
const TimeLayout = "2006-01-02 15:04:05.000"

// Record is one journal entry as readers see it.
type Record struct {
	// Seq numbers records from 1, increasing by one per Append.
	Seq uint64
	// Time is when the record was written, in Options.Location.
	Time time.Time
	// Level is the slog level; its stable name is slog's (see fleet.ParseLevel).
	Level slog.Level
	// Source names the component that wrote the record (see SourceAgent).
	Source string
	// Msg is the message, as given to Append or to the slog call.
	Msg string
	// Attrs holds the attributes as space-separated key=value text,
	// values quoted with strconv.Quote when they need it.
	Attrs string
	// Truncated is set when the text did not fit in a slot and was cut;
	// the cut text ends with TruncMarker.
	Truncated bool
	// Dropped counts, for a Follower, the records lost since the previous
	// record it delivered. It is always 0 from Cat.
	Dropped uint64
}

// AppendText appends the one-line text form of r to b:
//
//	2026-11-21 10:00:00.123 INFO  task:blink  message k=v
//
// The time is rendered in r.Time's location.
func (r Record) AppendText(b []byte) []byte {
	return appendLine(b, r.Time, r.Level, r.Source, r.Msg, r.Attrs)
}

// appendLine renders one record; Record.AppendText and the disk copy share it.
func appendLine[T text](b []byte, t time.Time, level slog.Level, source, msg, attrs T) []byte {
	b = t.AppendFormat(b, TimeLayout)
	b = append(b, ' ')
	name := levelText(level)
	b = append(b, name...)
	b = append(b, "      "[min(len(name), 5):]...)
	b = append(b, source...)
	b = append(b, "  "...)
	b = append(b, msg...)
	if len(attrs) > 0 {
		b = append(b, ' ')
		b = append(b, attrs...)
	}
	return b
}

// String returns the text form of r (see AppendText).
func (r Record) String() string { return string(r.AppendText(nil)) }

// wireRecord is the JSON shape of a Record, one per MQTT log message.
type wireRecord struct {
	Seq       uint64    `json:"seq"`
	Time      time.Time `json:"ts"`
	Level     string    `json:"level"`
	Source    string    `json:"source"`
	Msg       string    `json:"msg"`
	Attrs     string    `json:"attrs,omitempty"`
	Truncated bool      `json:"truncated,omitempty"`
	Dropped   uint64    `json:"dropped,omitempty"`
}

// MarshalJSON encodes r as
// {"seq":1,"ts":"<RFC3339Nano>","level":"INFO","source":"agent","msg":"...","attrs":"k=v"},
// with "truncated" and "dropped" present only when set.
func (r Record) MarshalJSON() ([]byte, error) {
	return json.Marshal(wireRecord{
		Seq: r.Seq, Time: r.Time, Level: levelText(r.Level), Source: r.Source,
		Msg: r.Msg, Attrs: r.Attrs, Truncated: r.Truncated, Dropped: r.Dropped,
	})
}

// UnmarshalJSON decodes the form written by MarshalJSON. Errors wrap ErrBadRecord.
func (r *Record) UnmarshalJSON(data []byte) error {
	var w wireRecord
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("%w: %w", ErrBadRecord, err)
	}
	level, err := fleet.ParseLevel(w.Level)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadRecord, err)
	}
	*r = Record{
		Seq: w.Seq, Time: w.Time, Level: level, Source: w.Source,
		Msg: w.Msg, Attrs: w.Attrs, Truncated: w.Truncated, Dropped: w.Dropped,
	}
	return nil
}

// record builds a Record from a reader's slot copy.
func (v *view) record(loc *time.Location) Record {
	return Record{
		Seq:       v.seq,
		Time:      time.Unix(0, v.unixNano).In(loc),
		Level:     v.level,
		Source:    string(v.source()),
		Msg:       string(v.msg()),
		Attrs:     string(v.attrs()),
		Truncated: v.trunc,
	}
}

// appendText renders a slot copy like Record.AppendText, without allocating.
func (v *view) appendText(b []byte, loc *time.Location) []byte {
	return appendLine(b, time.Unix(0, v.unixNano).In(loc), v.level, v.source(), v.msg(), v.attrs())
}
