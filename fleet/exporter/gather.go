package exporter

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// gather returns the fleet's families: drover_device_up, _info and
// _last_seen_timestamp_seconds for every device, then every device's own
// families merged by name, sorted. A family whose type differs from the
// one first seen under its name (devices on different versions) is left
// out and counted in conflicts.
func (s *store) gather() (fams []*dto.MetricFamily, conflicts int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	up := gauge("drover_device_up", "1 when the device is online or updating, 0 when offline or lost.")
	info := gauge("drover_device_info", "Identity of the device from its birth document; always 1.")
	seen := gauge("drover_device_last_seen_timestamp_seconds", "When the device last sent a message, in Unix seconds.")
	byName := map[string]*dto.MetricFamily{}
	for _, id := range slices.Sorted(maps.Keys(s.devices)) {
		d := s.devices[id]
		own := d.labels(s.labelKeys)
		up.Metric = append(up.Metric, sample(own, boolValue(d.up())))
		info.Metric = append(info.Metric, sample(append(own, d.infoLabels()...), 1))
		if !d.lastSeen.IsZero() {
			seen.Metric = append(seen.Metric, sample(own, float64(d.lastSeen.UnixNano())/1e9))
		}
		conflicts += merge(byName, d.fams)
	}
	fams = []*dto.MetricFamily{up, info, seen}
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		fams = append(fams, byName[name])
	}
	return fams, conflicts
}

func merge(byName map[string]*dto.MetricFamily, fams []*dto.MetricFamily) (conflicts int) {
	for _, f := range fams {
		have := byName[f.GetName()]
		switch {
		case have == nil:
			byName[f.GetName()] = &dto.MetricFamily{Name: f.Name, Help: f.Help, Type: f.Type, Unit: f.Unit,
				Metric: slices.Clone(f.Metric)}
		case have.GetType() != f.GetType():
			conflicts++
		default:
			have.Metric = append(have.Metric, f.Metric...)
		}
	}
	return conflicts
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
