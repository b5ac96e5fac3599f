// Package statustext renders the status model of fleet (a device's
// Snapshot, its units, jobs and readings) as indented JSON or as
// systemctl/aioctl-style text for fleetctl.
package statustext

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/drover-iot/drover/fleet"
)

// TimeLayout is how the text rendering writes instants.
const TimeLayout = "2006-01-02 15:04:05"

// TextOptions tune the text rendering.
type TextOptions struct {
	// Debug adds args, profile, exit status, errors with stacks, and job
	// counters. Default: false.
	Debug bool
	// Now is the instant "ago" and "in" are measured from. Default: the
	// snapshot's Time.
	Now time.Time
	// Location is the zone of printed instants. Default: time.Local.
	Location *time.Location
	// Color adds ANSI colours to the state glyphs. Default: false.
	Color bool
}

func (o TextOptions) withDefaults(s fleet.Snapshot) TextOptions {
	if o.Now.IsZero() {
		o.Now = s.Time
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	return o
}

func (o TextOptions) at(t time.Time) string { return t.In(o.Location).Format(TimeLayout) }

// RenderJSON writes the snapshot as indented JSON: the model itself.
func RenderJSON(w io.Writer, s fleet.Snapshot) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// RenderText writes the snapshot in the systemctl/aioctl style, one line
// per unit such as "● blink: status: running since 2026-11-21 10:00:00; 4 s ago".
func RenderText(w io.Writer, s fleet.Snapshot, opt TextOptions) error {
	opt = opt.withDefaults(s)
	var b strings.Builder
	writeHeader(&b, s, opt)
	section(&b, "Tasks", len(s.Tasks), func() {
		for _, u := range s.Tasks {
			writeUnit(&b, u, opt)
		}
	})
	section(&b, "Services", len(s.Services), func() {
		for _, u := range s.Services {
			writeUnit(&b, u, opt)
		}
	})
	section(&b, "Jobs", len(s.Jobs), func() {
		for _, j := range s.Jobs {
			writeJob(&b, j, opt)
		}
	})
	section(&b, "Sensors", len(s.Sensors)+len(s.SensorErrors), func() {
		writeReadings(&b, s.Sensors, opt)
		writeSensorErrors(&b, s.SensorErrors)
	})
	writeOutbox(&b, s.Outbox)
	writeOTA(&b, s.OTA)
	_, err := io.WriteString(w, b.String())
	return err
}

// UnitText renders one task or service as RenderText does.
func UnitText(u fleet.Unit, opt TextOptions) string {
	var b strings.Builder
	writeUnit(&b, u, opt.withDefaults(fleet.Snapshot{Time: time.Now()}))
	return b.String()
}

func writeHeader(b *strings.Builder, s fleet.Snapshot, opt TextOptions) {
	fmt.Fprintf(b, "%s", s.Device)
	if s.Version != "" {
		fmt.Fprintf(b, " %s", s.Version)
	}
	if s.Uptime > 0 {
		fmt.Fprintf(b, ", up %s", Humanize(time.Duration(s.Uptime*float64(time.Second))))
	}
	if s.Broker != "" {
		fmt.Fprintf(b, ", via %s", s.Broker)
	}
	fmt.Fprintf(b, ", at %s\n", opt.at(s.Time))
}

func section(b *strings.Builder, title string, n int, body func()) {
	if n == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s (%d):\n", title, n)
	body()
}

func writeUnit(b *strings.Builder, u fleet.Unit, opt TextOptions) {
	fmt.Fprintf(b, "%s %s: status: %s", glyph(u.State, opt.Color), unitTitle(u), u.State)
	if !u.Since.IsZero() {
		fmt.Fprintf(b, " since %s; %s", opt.at(u.Since), relative(u.Since, opt.Now))
	}
	if u.State == fleet.UnitBackoff && u.NextStart != nil {
		fmt.Fprintf(b, "; next start %s", relative(*u.NextStart, opt.Now))
	}
	b.WriteByte('\n')
	if opt.Debug {
		writeUnitDebug(b, u, opt)
		return
	}
	if u.State == fleet.UnitRunning {
		return
	}
	if u.Reason != "" {
		detail(b, "reason", firstLine(u.Reason))
	}
	if u.Error != "" {
		detail(b, "error", firstLine(u.Error))
	}
}

func unitTitle(u fleet.Unit) string {
	var tags []string
	if u.Kind == fleet.KindService && u.Type != "" {
		tags = append(tags, u.Type)
	}
	if u.Enabled != nil && !*u.Enabled {
		tags = append(tags, "disabled")
	}
	if len(tags) == 0 {
		return u.Name
	}
	return u.Name + " (" + strings.Join(tags, ", ") + ")"
}

func writeUnitDebug(b *strings.Builder, u fleet.Unit, opt TextOptions) {
	if u.Type != "" && u.Kind != fleet.KindService {
		detail(b, "function", u.Type)
	}
	if u.PID != 0 {
		detail(b, "pid", fmt.Sprint(u.PID))
	}
	if len(u.Requires) > 0 {
		detail(b, "requires", strings.Join(u.Requires, ", "))
	}
	if len(u.Args) > 0 {
		detail(b, "args", compactJSON(u.Args))
	}
	if u.StartedAt != nil {
		detail(b, "started", opt.at(*u.StartedAt))
	}
	p := u.Profile
	prof := fmt.Sprintf("starts %d, restarts %d, run time %s", p.Starts, p.Restarts, Humanize(p.RunTime))
	if p.LastRunDuration > 0 {
		prof += ", last run " + Humanize(p.LastRunDuration)
	}
	if p.WatchdogMisses > 0 {
		prof += fmt.Sprintf(", watchdog misses %d", p.WatchdogMisses)
	}
	detail(b, "profile", prof)
	writeOutcome(b, u)
}

// writeOutcome writes how the unit last ended: exit, result, reason, error and stack.
func writeOutcome(b *strings.Builder, u fleet.Unit) {
	if u.ExitCode != nil || u.Signal != "" {
		detail(b, "exit", exitText(u.ExitCode, u.Signal))
	}
	if u.Result != nil {
		detail(b, "result", compactJSON(u.Result))
	}
	if u.Reason != "" {
		detail(b, "reason", u.Reason)
	}
	if u.Error != "" {
		detail(b, "error", u.Error)
	}
	if u.Stack != "" {
		b.WriteString(indent(strings.TrimRight(u.Stack, "\n"), "        "))
	}
}

func exitText(code *int, signal string) string {
	if signal != "" {
		return "killed by " + signal
	}
	return fmt.Sprintf("code %d", *code)
}

// writeOutbox renders the outbox line: depth, size, oldest age, drops.
func writeOutbox(b *strings.Builder, o *fleet.OutboxStatus) {
	if o == nil {
		return
	}
	fmt.Fprintf(b, "\nOutbox: %d messages, %d bytes", o.Records, o.Bytes)
	if o.Records > 0 {
		fmt.Fprintf(b, ", oldest %s", Humanize(time.Duration(o.OldestAge*float64(time.Second))))
	}
	fmt.Fprintf(b, ", %d dropped\n", o.Dropped)
}
