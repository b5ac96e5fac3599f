package top

import (
	"fmt"
	"strings"
	"time"
)

// deviceView draws the open device: title, units and jobs, sensors,
// journal and footer, in exactly m.height lines.
func (m *Model) deviceView() string {
	d := m.devs[m.detail.dev]
	if d == nil {
		return m.padLines([]string{m.theme.title.Render(m.fit(m.detail.dev+" (forgotten)", m.width, false))})
	}
	now := m.now()
	sensors := m.sensorLines(d)
	items, cursorLine := m.itemLines(now)
	room := m.height - 2 - len(sensors) // between the title and the footer
	rows := max(min(len(items), room-minJournal), 1)
	lines := []string{m.deviceTitle(d, now)}
	lines = append(lines, m.scrollItems(items, cursorLine, rows)...)
	lines = append(lines, sensors...)
	lines = append(lines, m.journalLines(room-rows)...)
	return m.padLines(lines)
}

// minJournal is the fewest lines the journal gets, its heading included.
const minJournal = 4

// padLines fills lines up to the footer, which ends the frame.
func (m *Model) padLines(lines []string) string {
	lines = lines[:min(len(lines), m.height-1)]
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	return strings.Join(append(lines, m.footer()), "\n")
}

// itemLines draws the units and jobs under section headings; it returns
// the lines and the index of the cursor's line.
func (m *Model) itemLines(now time.Time) ([]string, int) {
	items := m.items()
	if len(items) == 0 {
		return []string{m.theme.dim.Render("  no status yet")}, 0
	}
	m.detail.cursor = min(m.detail.cursor, len(items)-1)
	var all []string
	cursorLine, prevKind := 0, ""
	for i, it := range items {
		if it.kind != prevKind {
			all = append(all, m.theme.header.Render(sectionTitle(it.kind, items)))
			prevKind = it.kind
		}
		if i == m.detail.cursor {
			cursorLine = len(all)
		}
		all = append(all, m.itemLine(it, i == m.detail.cursor, now))
	}
	return all, cursorLine
}

// scrollItems shows rows of the item lines, keeping the cursor's line in view.
func (m *Model) scrollItems(all []string, cursorLine, rows int) []string {
	m.detail.offset = min(max(m.detail.offset, cursorLine-rows+1), cursorLine)
	m.detail.offset = max(min(m.detail.offset, len(all)-rows), 0)
	return all[m.detail.offset:min(m.detail.offset+rows, len(all))]
}

func sectionTitle(kind string, items []item) string {
	n := 0
	for _, it := range items {
		if it.kind == kind {
			n++
		}
	}
	return fmt.Sprintf("%ss (%d)", strings.ToUpper(kind[:1])+kind[1:], n)
}

func (m *Model) itemLine(it item, selected bool, now time.Time) string {
	var s string
	if it.unit != nil {
		s = m.unitLine(it.unit, now)
	} else {
		s = m.jobLine(it.job, now)
	}
	if selected {
		return m.theme.selected.Render(m.fit(m.theme.cursor+s, m.width, false))
	}
	return m.fit(" "+s, m.width, false)
}

// sensorLines packs the readings into at most three lines under a heading.
func (m *Model) sensorLines(d *device) []string {
	if d.snap == nil {
		return nil
	}
	pairs := sensorsText(d.snap)
	if len(pairs) == 0 {
		return nil
	}
	lines := []string{m.theme.header.Render(fmt.Sprintf("Sensors (%d)", len(pairs)))}
	line := ""
	for _, p := range pairs {
		p = clean(p)
		if line != "" && len(line)+2+len(p) > m.width-1 {
			lines, line = append(lines, m.fit(" "+line, m.width, false)), ""
		}
		if line != "" {
			line += "  "
		}
		line += p
	}
	lines = append(lines, m.fit(" "+line, m.width, false))
	return lines[:min(len(lines), 4)]
}

// journalLines draws the newest records that fit in n lines, heading included.
func (m *Model) journalLines(n int) []string {
	head := "Journal"
	if m.detail.logErr != "" {
		head += ": " + clean(m.detail.logErr)
	}
	lines := []string{m.theme.header.Render(m.fit(head, m.width, false))}
	logs := m.detail.logs[max(len(m.detail.logs)-(n-1), 0):]
	for _, r := range logs {
		s := fmt.Sprintf(" %s %-5s %s %s", r.TS.In(m.cfg.Location).Format("15:04:05"), strings.ToUpper(r.Level),
			orDash(r.Source), r.Msg)
		lines = append(lines, m.fit(clean(s), m.width, false))
	}
	return lines
}
