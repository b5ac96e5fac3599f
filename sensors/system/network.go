package system

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/drover-iot/drover/sensors"
)

// readNetwork reports received and transmitted bytes of each interface of
// /proc/net/dev as network_receive_bytes and network_transmit_bytes with
// the label interface.
func (s *Sensor) readNetwork(now time.Time) error {
	name := s.path("proc/net/dev")
	b, err := s.readFile(name)
	if err != nil {
		return fmt.Errorf("network: %w", err)
	}
	err = parseNetDev(b, func(iface []byte, rx, tx uint64) {
		if !s.wantInterface(iface) {
			return
		}
		name := string(iface)
		s.addLabelled(MetricNetReceive, float64(rx), sensors.UnitBytes, now, LabelInterface, name)
		s.addLabelled(MetricNetTransmit, float64(tx), sensors.UnitBytes, now, LabelInterface, name)
	})
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrParse, name, err)
	}
	return nil
}

func (s *Sensor) wantInterface(iface []byte) bool {
	if len(s.cfg.Interfaces) == 0 {
		return string(iface) != "lo"
	}
	return slices.Contains(s.cfg.Interfaces, string(iface))
}

// parseNetDev calls fn for each interface line of /proc/net/dev: after two
// header lines, "<iface>: <16 counters>", receive bytes first and transmit
// bytes ninth.
func parseNetDev(b []byte, fn func(iface []byte, rx, tx uint64)) error {
	n := 0
	for line := range bytes.Lines(b) {
		if n++; n <= 2 {
			continue
		}
		iface, rest, ok := bytes.Cut(line, []byte(":"))
		f := bytes.Fields(rest)
		if !ok || len(f) < 16 {
			return fmt.Errorf("line %d: want \"<iface>: <16 counters>\"", n)
		}
		rx, err1 := strconv.ParseUint(string(f[0]), 10, 64)
		tx, err2 := strconv.ParseUint(string(f[8]), 10, 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("line %d: counters are not numbers", n)
		}
		fn(bytes.TrimSpace(iface), rx, tx)
	}
	if n < 2 {
		return fmt.Errorf("missing header")
	}
	return nil
}
