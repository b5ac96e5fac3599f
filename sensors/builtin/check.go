package builtin

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/i2c"

	"github.com/drover-iot/drover/sensors"
)

// Problem is one problem of a sensors: section, at its line.
type Problem struct {
	Line    int
	Message string
}

// errNoHardware is what a dry build's I2C opener returns; drivers do not
// open buses while they are built, so Check never sees it.
var errNoHardware = errors.New("builtin: no hardware during a config check")

// dryEnv builds sensors without touching hardware: GPIO pins are test pins
// and I2C buses cannot be opened.
func dryEnv() sensors.Env {
	return sensors.Env{
		OpenPin: func(name string) (gpio.PinIO, error) {
			return &dryPin{Pin: &gpiotest.Pin{N: name}, halted: make(chan struct{})}, nil
		},
		OpenI2C: func(string) (i2c.BusCloser, error) { return nil, errNoHardware },
	}
}

// dryPin is a test pin whose edge wait ends at once when halted, so that
// closing a checked edge-counting sensor does not wait for a poll interval.
type dryPin struct {
	*gpiotest.Pin
	once   sync.Once
	halted chan struct{}
}

// In implements gpio.PinIn and accepts any setting.
func (p *dryPin) In(gpio.Pull, gpio.Edge) error { return nil }

// WaitForEdge implements gpio.PinIn: no edge ever comes.
func (p *dryPin) WaitForEdge(timeout time.Duration) bool {
	select {
	case <-p.halted:
	case <-time.After(timeout):
	}
	return false
}

// Halt implements conn.Resource: it ends the edge waits.
func (p *dryPin) Halt() error {
	p.once.Do(func() { close(p.halted) })
	return nil
}

// Check validates items as Build would (keys, values, schedules, names)
// without opening any hardware, for `agent check-config` on a machine that
// is not the device. It returns every problem with its line, in order.
func Check(items []*yaml.Node) []Problem {
	built, err := Build(items, dryEnv())
	if err == nil {
		_ = sensors.CloseAll(sensors.Sensors(built))
		return nil
	}
	var out []Problem
	for _, e := range split(err) {
		out = append(out, problemOf(e.Error()))
	}
	return out
}

// split unwraps joined errors into their leaves' parents: one per problem.
func split(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, split(e)...)
	}
	return out
}

var lineRE = regexp.MustCompile(`line (\d+): `)

// problemOf takes the innermost "line N: " of msg as the problem's line
// and drops every such marker from the message.
func problemOf(msg string) Problem {
	var p Problem
	for _, m := range lineRE.FindAllStringSubmatch(msg, -1) {
		p.Line, _ = strconv.Atoi(m[1])
	}
	p.Message = strings.TrimSpace(lineRE.ReplaceAllString(msg, ""))
	return p
}
