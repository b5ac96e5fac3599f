package exporter

import (
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// deviceFamilies are drover_device_up, _info and
// _last_seen_timestamp_seconds for every device; s.mu is held.
func (s *store) deviceFamilies(ids []string) []*dto.MetricFamily {
	up := gauge("drover_device_up", "1 when the device is online or updating, 0 when offline or lost.")
	info := gauge("drover_device_info", "Identity of the device from its birth document; always 1.")
	seen := gauge("drover_device_last_seen_timestamp_seconds", "When the device last sent a message, in Unix seconds.")
	for _, id := range ids {
		d := s.devices[id]
		own := d.labels(s.labelKeys)
		up.Metric = append(up.Metric, sample(own, boolValue(d.up())))
		info.Metric = append(info.Metric, sample(append(own, d.infoLabels()...), 1))
		if !d.lastSeen.IsZero() {
			seen.Metric = append(seen.Metric, sample(own, float64(d.lastSeen.UnixNano())/1e9))
		}
	}
	return []*dto.MetricFamily{up, info, seen}
}

// write writes own (the exporter's families), the device gauges and every
// device's families in the text format, each name once, sorted. A device
// family whose type differs from the one first seen under its name
// (devices on different versions, or a clash with the exporter's own) is
// left out and counted in conflicts. s.mu is held only to take a snapshot:
// a device's families are replaced, never changed, so they are written
// while new payloads are applied.
func (s *store) write(w io.Writer, own []*dto.MetricFamily) (conflicts int, err error) {
	fams, devs := s.snapshot(own)
	first, err := encodeFamilies(fams)
	if err != nil {
		return 0, err
	}
	return writeMerged(w, first, devs)
}

// snapshot is own plus the device gauges, and every device's families in
// the order of the device ids.
func (s *store) snapshot(own []*dto.MetricFamily) ([]*dto.MetricFamily, [][]encoded) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := slices.Sorted(maps.Keys(s.devices))
	devs := make([][]encoded, len(ids))
	for i, id := range ids {
		devs[i] = s.devices[id].fams
	}
	return append(own, s.deviceFamilies(ids)...), devs
}

// infoLabels are drover_device_info's labels besides the device's own.
func (d *device) infoLabels() []*dto.LabelPair {
	var version, build, os, arch string
	if i := d.info; i != nil {
		version, os, arch = i.Version, i.OS, i.Arch
		build = strconv.FormatUint(i.Build, 10)
	}
	return []*dto.LabelPair{pair("arch", arch), pair("build", build), pair("os", os), pair("version", version)}
}

func gauge(name, help string) *dto.MetricFamily {
	return &dto.MetricFamily{Name: proto.String(name), Help: proto.String(help), Type: dto.MetricType_GAUGE.Enum()}
}

func sample(labels []*dto.LabelPair, v float64) *dto.Metric {
	ls := slices.Clone(labels)
	slices.SortFunc(ls, func(a, b *dto.LabelPair) int { return strings.Compare(a.GetName(), b.GetName()) })
	return &dto.Metric{Label: ls, Gauge: &dto.Gauge{Value: proto.Float64(v)}}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
