package top

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/statustext"
)

// journalKeep is how many journal records the device view keeps.
const journalKeep = 500

// detailState is the open device: the cursor over its units and jobs and
// the journal records followed so far.
type detailState struct {
	dev     string
	cursor  int
	offset  int
	logs    []fleet.LogRecord
	lastSeq uint64
	logErr  string
	stop    func()
}

// item is a selectable line of the device view: a task, service or job.
type item struct {
	kind string // fleet.KindTask, fleet.KindService or "job"
	name string
	unit *fleet.Unit
	job  *fleet.Job
}

const kindJob = "job"

// open shows the device under the cursor and starts following its journal.
func (m *Model) open() {
	m.rebuild()
	cur := m.cursor()
	if cur < 0 {
		return
	}
	m.detail = &detailState{dev: m.table.rows[cur].ID}
	if m.cfg.Backend != nil {
		m.detail.stop = m.cfg.Backend.Follow(m.detail.dev)
	}
	m.mode = modeDevice
}

// deviceKey moves over units and jobs, asks to act on one, or goes back.
func (m *Model) deviceKey(k tea.KeyMsg) tea.Cmd {
	m.note = ""
	items := m.items()
	switch k.String() {
	case "q", "esc":
		m.close()
		m.mode = modeTable
	case "up", "k":
		m.detail.cursor = max(m.detail.cursor-1, 0)
	case "down", "j":
		m.detail.cursor = min(m.detail.cursor+1, max(len(items)-1, 0))
	case "r", "s", "x":
		if m.detail.cursor < len(items) {
			m.ask = askFor(m.detail.dev, k.String(), items[m.detail.cursor])
		}
		if m.ask == nil {
			m.note = "r restarts and s stops a task or service; x runs a job"
			return nil
		}
		m.mode = modeConfirm
	}
	return nil
}

// items are the open device's tasks, services and jobs, in that order.
func (m *Model) items() []item {
	d := m.devs[m.detail.dev]
	if d == nil || d.snap == nil {
		return nil
	}
	var items []item
	for _, units := range [][]fleet.Unit{d.snap.Tasks, d.snap.Services} {
		for i := range units {
			items = append(items, item{kind: units[i].Kind, name: units[i].Name, unit: &units[i]})
		}
	}
	for i := range d.snap.Jobs {
		items = append(items, item{kind: kindJob, name: d.snap.Jobs[i].Name, job: &d.snap.Jobs[i]})
	}
	return items
}

// applyLog appends the followed device's new records (by sequence number).
func (m *Model) applyLog(msg LogMsg) {
	det := m.detail
	if det == nil || det.dev != msg.Device {
		return
	}
	if msg.Err != nil {
		det.logErr = msg.Err.Error()
		return
	}
	for _, r := range msg.Records {
		if r.Seq != 0 && r.Seq <= det.lastSeq {
			continue
		}
		det.lastSeq = max(det.lastSeq, r.Seq)
		det.logs = append(det.logs, r)
	}
	if over := len(det.logs) - journalKeep; over > 0 {
		det.logs = append(det.logs[:0:0], det.logs[over:]...)
	}
}

// deviceTitle is the open device's summary line.
func (m *Model) deviceTitle(d *device, now time.Time) string {
	parts := []string{d.ID, orDash(string(d.State)), orDash(d.Version())}
	if up := uptimeCell(d, now); up != "-" {
		parts = append(parts, "up "+up)
	}
	if seen := seenCell(d, now); seen != "-" {
		parts = append(parts, "seen "+seen+" ago")
	}
	if len(d.Labels()) > 0 {
		parts = append(parts, statustext.LabelText(d.Labels()))
	}
	s := strings.Join(parts, "  ")
	return m.theme.title.Render(m.fit(clean(s), m.width, false))
}

// unitLine draws one task or service: glyph, name, state, time in that
// state, then its pid, restarts and error or reason.
func (m *Model) unitLine(u *fleet.Unit, now time.Time) string {
	var details []string
	if u.PID != 0 {
		details = append(details, fmt.Sprintf("pid %d", u.PID))
	}
	if u.Profile.Restarts > 0 {
		details = append(details, fmt.Sprintf("restarts %d", u.Profile.Restarts))
	}
	if msg := firstLine(u.Error); msg != "" {
		details = append(details, "error: "+msg)
	} else if u.Reason != "" {
		details = append(details, firstLine(u.Reason))
	}
	since := "-"
	if !u.Since.IsZero() {
		since = statustext.Compact(now.Sub(u.Since))
	}
	return fmt.Sprintf("%s %s %s %s  %s", m.theme.unitGlyph(u.State), m.fit(clean(u.Name), 16, false),
		m.fit(string(u.State), 9, false), m.fit(since, 6, true), clean(strings.Join(details, "  ")))
}

// jobLine draws one job: glyph, name, state, schedule, next run and error.
func (m *Model) jobLine(j *fleet.Job, now time.Time) string {
	next := "-"
	if j.NextRun != nil {
		next = "next in " + statustext.Compact(j.NextRun.Sub(now))
	}
	detail := firstLine(j.Broken)
	if detail == "" && j.LastError != "" {
		detail = "error: " + firstLine(j.LastError)
	}
	return fmt.Sprintf("%s %s %s %s %s  %s", m.jobGlyph(*j), m.fit(clean(j.Name), 16, false),
		m.fit(statustext.JobState(*j), 9, false), m.fit(clean(j.Spec), 12, false), m.fit(next, 12, false), clean(detail))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func (m *Model) jobGlyph(j fleet.Job) string {
	if jobFailing(j) {
		return m.theme.unitGlyph(fleet.UnitFailed)
	}
	return m.theme.unitGlyph(fleet.UnitRunning)
}

// sensorsText packs the open device's readings into one line of pairs.
func sensorsText(s *fleet.StatusResult) []string {
	var out []string
	for _, r := range s.Sensors {
		name := r.Sensor + "/" + r.Metric
		if len(r.Labels) > 0 {
			name += "{" + statustext.LabelText(r.Labels) + "}"
		}
		out = append(out, strings.TrimSpace(fmt.Sprintf("%s %s %s", name, statustext.FormatValue(r.Value), r.Unit)))
	}
	for _, e := range s.SensorErrors {
		out = append(out, e.Sensor+" error: "+e.Error)
	}
	return out
}
