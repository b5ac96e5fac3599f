package top

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/statustext"
)

// tableState is the device table: its visible rows in order and the cursor.
type tableState struct {
	rows   []*device // filtered and sorted; rebuilt when dirty
	dirty  bool
	sel    string // id of the device under the cursor
	offset int    // first visible row
	sort   sortKey
	desc   bool
}

// column is one column of the device table.
type column struct {
	title string
	width int // the ID column's is the least it takes; it gets the room left
	right bool
	drop  int // columns that do not fit go, highest drop first; 0 never
	cell  func(d *device, now time.Time) string
	style func(t theme, d *device) *lipgloss.Style
}

// colID is the index of the ID column, which takes the room left.
const colID = 0

var columns = []column{
	{title: "ID", width: 8, cell: func(d *device, _ time.Time) string { return d.ID }},
	{title: "STATE", width: 8, cell: func(d *device, _ time.Time) string { return orDash(string(d.State)) },
		style: func(t theme, d *device) *lipgloss.Style { s := t.stateStyle(d.State); return &s }},
	{title: "VERSION", width: 9, drop: 5, cell: func(d *device, _ time.Time) string { return orDash(d.Version()) }},
	{title: "UPTIME", width: 6, right: true, drop: 6, cell: uptimeCell},
	{title: "FAIL", width: 4, right: true, drop: 4, cell: func(d *device, _ time.Time) string { return count(d, d.failingUnits) },
		style: func(t theme, d *device) *lipgloss.Style { return when(d.failingUnits > 0, t.bad) }},
	{title: "JOBS", width: 4, right: true, drop: 3, cell: func(d *device, _ time.Time) string { return count(d, d.failingJobs) },
		style: func(t theme, d *device) *lipgloss.Style { return when(d.failingJobs > 0, t.warn) }},
	{title: "OTA", width: 15, drop: 7, cell: func(d *device, _ time.Time) string { return orDash(d.ota) }},
	{title: "SYNC", width: 8, drop: 8, cell: func(d *device, _ time.Time) string { return orDash(string(d.Sync)) },
		style: func(t theme, d *device) *lipgloss.Style { return when(d.Sync == fleet.SyncFailed, t.bad) }},
	{title: "SEEN", width: 6, right: true, drop: 2, cell: seenCell},
}

func when(cond bool, s lipgloss.Style) *lipgloss.Style {
	if cond {
		return &s
	}
	return nil
}

func uptimeCell(d *device, now time.Time) string {
	if up, ok := d.UptimeAt(now); ok {
		return statustext.Compact(up)
	}
	return "-"
}

func seenCell(d *device, now time.Time) string {
	if d.seen.IsZero() {
		return "-"
	}
	return statustext.Compact(now.Sub(d.seen))
}

// count shows a failure count, "-" before the device's first status.
func count(d *device, n int) string {
	if d.snap == nil {
		return "-"
	}
	return fmt.Sprint(n)
}

// rebuild filters and sorts the rows when something changed, and keeps
// the cursor on the same device (or the first row when it went away, or
// while the first retained messages come in).
func (m *Model) rebuild() {
	if !m.table.dirty && m.table.rows != nil {
		return
	}
	rows := make([]*device, 0, len(m.devs))
	for _, d := range m.devs {
		if m.filter.match(d) {
			rows = append(rows, d)
		}
	}
	sortDevices(rows, m.table.sort, m.table.desc, m.now())
	m.table.rows, m.table.dirty = rows, false
	// Until the retained messages are all in, the cursor stays on the
	// first row, whichever device's message came first.
	if (m.cursor() < 0 || !m.synced) && len(rows) > 0 {
		m.table.sel = rows[0].ID
	}
}

// cursor is the index of the selected row, -1 when none.
func (m *Model) cursor() int {
	for i, d := range m.table.rows {
		if d.ID == m.table.sel {
			return i
		}
	}
	return -1
}

// moveCursor moves the selection by delta rows, within the table.
func (m *Model) moveCursor(delta int) {
	m.rebuild()
	if len(m.table.rows) == 0 {
		return
	}
	i := min(max(m.cursor()+delta, 0), len(m.table.rows)-1)
	m.table.sel = m.table.rows[i].ID
}

// tableView draws the title, the header, the visible rows and the footer.
func (m *Model) tableView() string {
	m.rebuild()
	widths := m.columnWidths()
	body := m.height - 3
	m.scroll(body)
	now := m.now()
	lines := make([]string, 0, m.height)
	lines = append(lines, m.titleLine(), m.theme.header.Render(m.headerLine(widths)))
	cur := m.cursor()
	for i := m.table.offset; i < len(m.table.rows) && i < m.table.offset+body; i++ {
		lines = append(lines, m.rowLine(m.table.rows[i], widths, now, i == cur))
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	return strings.Join(append(lines, m.footer()), "\n")
}

// scroll keeps the cursor row within the body's rows.
func (m *Model) scroll(body int) {
	cur := max(m.cursor(), 0)
	if cur < m.table.offset {
		m.table.offset = cur
	}
	if cur >= m.table.offset+body {
		m.table.offset = cur - body + 1
	}
	m.table.offset = max(min(m.table.offset, len(m.table.rows)-body), 0)
}

// columnWidths gives each column its width, 0 for the columns dropped
// because the terminal is too narrow; the ID column takes the room left.
func (m *Model) columnWidths() []int {
	widths := make([]int, len(columns))
	used := 0
	for i, c := range columns {
		widths[i] = c.width
		used += c.width + 1 // a space before each column
	}
	for drop := len(columns); used > m.width && drop > 0; drop-- {
		for i, c := range columns {
			if c.drop == drop {
				used -= widths[i] + 1
				widths[i] = 0
			}
		}
	}
	widths[colID] = max(m.width-used+widths[colID], 1)
	return widths
}

func (m *Model) headerLine(widths []int) string {
	var b strings.Builder
	for i, c := range columns {
		if widths[i] > 0 {
			b.WriteString(" " + m.fit(c.title, widths[i], c.right))
		}
	}
	return m.fit(b.String(), m.width, false)
}

func (m *Model) rowLine(d *device, widths []int, now time.Time, selected bool) string {
	var b strings.Builder
	for i, c := range columns {
		if widths[i] == 0 {
			continue
		}
		cell := m.fit(clean(c.cell(d, now)), widths[i], c.right)
		if c.style != nil && !selected {
			if st := c.style(m.theme, d); st != nil {
				cell = st.Render(cell)
			}
		}
		b.WriteString(" " + cell)
	}
	if selected {
		return m.theme.selected.Render(m.theme.cursor + m.fit(b.String()[1:], m.width-1, false))
	}
	return b.String()
}

// titleLine sums up the fleet and the view's sort and filter.
func (m *Model) titleLine() string {
	counts := map[string]int{}
	for _, d := range m.devs {
		counts[string(d.State)]++
	}
	s := fmt.Sprintf("%d devices: %d online, %d lost, %d offline", len(m.devs),
		counts["online"], counts["lost"], counts["offline"])
	if !m.synced {
		s += " (loading" + m.theme.ellipsis + ")"
	}
	arrow := m.theme.up
	if m.table.desc {
		arrow = m.theme.down
	}
	s += "  sort: " + m.table.sort.String() + " " + arrow
	if m.filter.text != "" {
		s += fmt.Sprintf("  filter: %s (%d)", clean(m.filter.text), len(m.table.rows))
	}
	return m.theme.title.Render(m.fit(s, m.width, false))
}

// fit pads or truncates s to exactly w cells.
func (m *Model) fit(s string, w int, right bool) string {
	if lipgloss.Width(s) > w {
		return truncate(s, w, m.theme.ellipsis)
	}
	pad := strings.Repeat(" ", w-lipgloss.Width(s))
	if right {
		return pad + s
	}
	return s + pad
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
