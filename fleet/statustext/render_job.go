package statustext

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/drover-iot/drover/fleet"
)

// JobText renders one job as RenderText does.
func JobText(j fleet.Job, opt TextOptions) string {
	var b strings.Builder
	writeJob(&b, j, opt.withDefaults(fleet.Snapshot{Time: time.Now()}))
	return b.String()
}

// JobState names a job's condition: broken, paused, running, finished or scheduled.
func JobState(j fleet.Job) string {
	state, _ := jobState(j)
	return state
}

// jobState names a job's condition for its status line, with its glyph.
func jobState(j fleet.Job) (state, glyphText string) {
	switch {
	case j.Broken != "":
		return "broken", "×"
	case j.Paused:
		return "paused", "‖"
	case j.Running > 0:
		return "running", "●"
	case j.NextRun == nil:
		return "finished", "○"
	default:
		return "scheduled", "◷"
	}
}

func writeJob(b *strings.Builder, j fleet.Job, opt TextOptions) {
	state, g := jobState(j)
	fmt.Fprintf(b, "%s %s: status: %s; %s", colored(g, jobColor(state), opt.Color), j.Name, state, j.Spec)
	if j.NextRun != nil {
		fmt.Fprintf(b, "; next run %s (%s)", opt.at(*j.NextRun), relative(*j.NextRun, opt.Now))
	}
	b.WriteByte('\n')
	if opt.Debug {
		writeJobDebug(b, j, opt)
		return
	}
	if msg := firstLine(orElse(j.Broken, j.LastError)); msg != "" {
		detail(b, "error", msg)
	}
}

func writeJobDebug(b *strings.Builder, j fleet.Job, opt TextOptions) {
	if j.Handler != "" {
		detail(b, "handler", j.Handler)
	}
	if len(j.Tags) > 0 {
		detail(b, "tags", strings.Join(j.Tags, ", "))
	}
	if j.LastRun != nil {
		last := fmt.Sprintf("%s (%s), took %s", opt.at(*j.LastRun), relative(*j.LastRun, opt.Now), Humanize(j.LastDuration))
		if j.Lateness > 0 {
			last += ", late " + Humanize(j.Lateness)
		}
		detail(b, "last run", last)
	}
	counts := fmt.Sprintf("runs %d, skips %d, failures %d", j.Runs, j.Skips, j.Failures)
	if j.Running > 0 {
		counts += fmt.Sprintf(", running %d", j.Running)
	}
	detail(b, "counts", counts)
	if j.Broken != "" {
		detail(b, "broken", j.Broken)
	}
	if j.LastError != "" {
		detail(b, "last error", j.LastError)
	}
}

func writeReadings(b *strings.Builder, rs []fleet.Reading, opt TextOptions) {
	for _, r := range rs {
		labels := LabelText(r.Labels)
		if labels != "" {
			labels = "{" + labels + "}"
		}
		fmt.Fprintf(b, "  %s %s%s: %s %s", r.Sensor, r.Metric, labels, FormatValue(r.Value), r.Unit)
		if !r.Time.IsZero() {
			fmt.Fprintf(b, " (%s)", relative(r.Time, opt.Now))
		}
		b.WriteByte('\n')
	}
}

// LabelText renders a reading's labels as k=v pairs in key order, joined by
// commas; "" when there are none.
func LabelText(labels map[string]string) string {
	keys := slices.Sorted(maps.Keys(labels))
	for i, k := range keys {
		keys[i] = k + "=" + labels[k]
	}
	return strings.Join(keys, ",")
}

func writeSensorErrors(b *strings.Builder, es []fleet.SensorError) {
	for _, e := range es {
		fmt.Fprintf(b, "  %s %s: error: %s (%d failed reads)\n", glyphs[fleet.UnitFailed], e.Sensor, e.Error, e.Failures)
	}
}

// FormatValue writes a reading with at most three decimals and no trailing zeros.
func FormatValue(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
}

func writeOTA(b *strings.Builder, ota any) {
	if ota == nil {
		return
	}
	fmt.Fprintf(b, "\nOTA: %s\n", compactJSON(ota))
}

// glyphs are the systemctl-like marks of each unit state.
var glyphs = map[fleet.UnitState]string{
	fleet.UnitRunning: "●", fleet.UnitPending: "◌", fleet.UnitBackoff: "↻", fleet.UnitStopped: "○", fleet.UnitDone: "✔", fleet.UnitFailed: "×",
}

// Glyph returns the mark shown before a unit in the given state.
func Glyph(s fleet.UnitState) string {
	if g, ok := glyphs[s]; ok {
		return g
	}
	return "?"
}

// ANSI colours of the glyphs when TextOptions.Color is set.
const (
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiRed    = "\x1b[31m"
	ansiReset  = "\x1b[0m"
)

func glyph(s fleet.UnitState, color bool) string {
	c := map[fleet.UnitState]string{fleet.UnitRunning: ansiGreen, fleet.UnitDone: ansiGreen, fleet.UnitBackoff: ansiYellow, fleet.UnitFailed: ansiRed}[s]
	return colored(Glyph(s), c, color)
}

func jobColor(state string) string {
	return map[string]string{"running": ansiGreen, "broken": ansiRed, "paused": ansiYellow}[state]
}

func colored(text, color string, on bool) string {
	if !on || color == "" {
		return text
	}
	return color + text + ansiReset
}

// detail writes an indented "key: value" line under a unit.
func detail(b *strings.Builder, key, value string) {
	lines := strings.Split(strings.TrimRight(value, "\n"), "\n")
	fmt.Fprintf(b, "    %s: %s\n", key, lines[0])
	if len(lines) > 1 {
		b.WriteString(indent(strings.Join(lines[1:], "\n"), "      "))
	}
}

// indent prefixes every line of text and ends it with a newline.
func indent(text, prefix string) string {
	return prefix + strings.ReplaceAll(text, "\n", "\n"+prefix) + "\n"
}

func compactJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
