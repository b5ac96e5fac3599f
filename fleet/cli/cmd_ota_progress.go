package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/internal/termtext"
	"github.com/drover-iot/drover/ota/state"
)

// barWidth is the width of a progress bar in cells.
const barWidth = 30

// progressView shows the progress of several devices.
type progressView interface {
	update(dev string, r fleet.OTAStatus)
	close()
}

// newProgressView draws bars on a terminal and prints plain lines (one per
// change) otherwise.
func (a *app) newProgressView(devs []string) progressView {
	return progressViewFor(a.opts.Stdout, devs, terminal)
}

// isTerminal returns the raw writer under out when out is a terminal.
type isTerminal func(out io.Writer) (io.Writer, bool)

// progressViewFor is newProgressView with the terminal check injected.
func progressViewFor(out io.Writer, devs []string, term isTerminal) progressView {
	if raw, ok := term(out); ok {
		v := &barView{w: raw, devs: devs, lines: map[string]string{}}
		v.draw(false)
		return v
	}
	return &lineView{w: out, last: map[string]string{}}
}

// terminal is the isTerminal of a real terminal: a character device.
func terminal(out io.Writer) (io.Writer, bool) {
	if tw, ok := out.(terminalWriter); ok {
		out = tw.w
	}
	f, ok := out.(*os.File)
	if !ok {
		return nil, false
	}
	fi, err := f.Stat()
	return f, err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// lineView prints "dev: state" whenever a device's line changes. Text from
// devices is escaped, as on a terminal: a log or a pipe gets no control
// characters from them either.
type lineView struct {
	mu   sync.Mutex
	w    io.Writer
	last map[string]string
}

func (v *lineView) update(dev string, r fleet.OTAStatus) {
	line := termtext.String(stateLine(r))
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.last[dev] == line {
		return
	}
	v.last[dev] = line
	fmt.Fprintf(v.w, "%s: %s\n", dev, line)
}

func (v *lineView) close() {}

// barView redraws one line per device in place (ANSI cursor up). Text from
// devices is escaped before it reaches the terminal.
type barView struct {
	mu    sync.Mutex
	w     io.Writer
	devs  []string
	lines map[string]string
}

func (v *barView) update(dev string, r fleet.OTAStatus) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.lines[dev] = termtext.String(bar(r))
	v.draw(true)
}

func (v *barView) draw(redraw bool) {
	var b strings.Builder
	if redraw && len(v.devs) > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", len(v.devs))
	}
	for _, d := range v.devs {
		fmt.Fprintf(&b, "\r\x1b[K%-20s %s\n", d, v.lines[d])
	}
	_, _ = io.WriteString(v.w, b.String())
}

func (v *barView) close() {}

// bar renders [#####.....]  42% downloading.
func bar(r fleet.OTAStatus) string {
	if r.State != string(state.Downloading) {
		return stateLine(r)
	}
	n := percent(r) * barWidth / 100
	return fmt.Sprintf("[%s%s] %3d%% downloading", strings.Repeat("#", n), strings.Repeat(".", barWidth-n), percent(r))
}
