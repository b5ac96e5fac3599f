package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// weekOrder is the order in which String lists weekdays.
var weekOrder = []time.Weekday{
	time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday,
}

// writeBase writes the canonical text of the base of s.
func (s Spec) writeBase(b *strings.Builder) {
	switch s.kind {
	case kindEvery:
		b.WriteString("every " + formatDuration(s.period))
		if s.hasOffset {
			b.WriteString(" at " + formatOffset(s.offset))
		}
	case kindRate:
		b.WriteString("rate " + s.rate.String())
	case kindIn:
		b.WriteString("in " + formatDuration(s.period))
	case kindAt:
		b.WriteString("at " + s.at.Format(time.RFC3339Nano))
	case kindBetween:
		fmt.Fprintf(b, "between %s and %s", formatDuration(s.period), formatDuration(s.upper))
	case kindCalendar:
		b.WriteString("every " + formatDays(s.cal.dow) + " at " + formatClocks(&s.cal))
	case kindCron:
		b.WriteString("cron " + s.cron)
	}
	if s.zone != "" {
		b.WriteString(" " + s.zone)
	}
}

// writeModifiers writes the modifiers in their fixed canonical order.
func (s Spec) writeModifiers(b *strings.Builder) {
	if s.jitter > 0 {
		b.WriteString(" jitter " + formatDuration(s.jitter))
	}
	if !s.until.IsZero() {
		b.WriteString(" until " + s.until.Format(time.RFC3339Nano))
	}
	if s.times > 0 {
		b.WriteString(" times " + strconv.Itoa(s.times))
	}
}

// formatOffset prints an aligned interval's offset as :MM or :MM:SS.
func formatOffset(d time.Duration) string {
	sec := int(d / time.Second)
	if sec%60 != 0 {
		return fmt.Sprintf(":%02d:%02d", sec/60, sec%60)
	}
	return fmt.Sprintf(":%02d", sec/60)
}

// formatDays prints a weekday set as "day" or "monday,friday".
func formatDays(set uint8) string {
	if set == 0x7f {
		return "day"
	}
	var names []string
	for _, wd := range weekOrder {
		if set&(1<<wd) != 0 {
			names = append(names, strings.ToLower(wd.String()))
		}
	}
	return strings.Join(names, ",")
}

// formatClocks prints the times of day as HH:MM[:SS],...
func formatClocks(c *calendar) string {
	parts := make([]string, c.ntod)
	for i, tod := range c.tods[:c.ntod] {
		h, m, s := tod/3600, tod/60%60, tod%60
		parts[i] = fmt.Sprintf("%02d:%02d", h, m)
		if s != 0 {
			parts[i] += fmt.Sprintf(":%02d", s)
		}
	}
	return strings.Join(parts, ",")
}
