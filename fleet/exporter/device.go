package exporter

import (
	"slices"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"

	"github.com/drover-iot/drover/fleet"
)

// device is what the exporter knows of one device.
type device struct {
	id    string
	state fleet.DeviceState
	info  *fleet.InfoDoc
	// lastSeen is when the device last said something (its status time
	// for a retained status).
	lastSeen time.Time
	// downSince is when the device went offline or lost; zero while up.
	downSince time.Time
	// fams are the device's families, labelled; metricsAt is when they came.
	fams      []encoded
	metricsAt time.Time
}

// up reports whether the device counts as up (online or updating).
func (d *device) up() bool {
	return d.state == fleet.StateOnline || d.state == fleet.StateUpdating
}

// labels are the device's own labels: device plus the --device-labels keys
// from its birth document (empty when it has none).
func (d *device) labels(keys []string) []*dto.LabelPair {
	out := []*dto.LabelPair{pair("device", d.id)}
	for _, k := range keys {
		v := ""
		if d.info != nil {
			v = d.info.Labels[k]
		}
		out = append(out, pair(k, v))
	}
	return out
}

func pair(name, value string) *dto.LabelPair {
	return &dto.LabelPair{Name: proto.String(name), Value: proto.String(value)}
}

// relabel gives every metric of fams the device's labels; a label the
// device sent with one of those names is kept as exported_<name> when its
// value differs (as Prometheus does with honor_labels: false).
func relabel(fams []*dto.MetricFamily, own []*dto.LabelPair) {
	for _, f := range fams {
		for _, m := range f.Metric {
			m.Label = mergeLabels(m.Label, own)
		}
	}
}

func mergeLabels(theirs, own []*dto.LabelPair) []*dto.LabelPair {
	out := slices.Clone(own)
	for _, l := range theirs {
		i := slices.IndexFunc(own, func(o *dto.LabelPair) bool { return o.GetName() == l.GetName() })
		switch {
		case i < 0:
			out = append(out, l)
		case own[i].GetValue() != l.GetValue():
			out = append(out, pair("exported_"+l.GetName(), l.GetValue()))
		}
	}
	slices.SortFunc(out, func(a, b *dto.LabelPair) int { return strings.Compare(a.GetName(), b.GetName()) })
	return slices.CompactFunc(out, func(a, b *dto.LabelPair) bool { return a.GetName() == b.GetName() })
}
