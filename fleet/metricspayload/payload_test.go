package metricspayload

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/encoding/protodelim"
	"google.golang.org/protobuf/proto"
)

// sampleFamilies gathers a registry with a counter, a gauge vector and a histogram.
func sampleFamilies(t testing.TB) []*dto.MetricFamily {
	t.Helper()
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "drover_test_runs_total", Help: "Runs."})
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "drover_test_level", Help: "Level."}, []string{"pin"})
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "drover_test_duration_seconds", Help: "Durations."})
	reg.MustRegister(c, g, h)
	c.Add(3)
	g.WithLabelValues("17").Set(1)
	h.Observe(0.2)
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

func TestRoundTrip(t *testing.T) {
	fams := sampleFamilies(t)
	payload, err := Marshal(fams)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(payload, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(fams) {
		t.Fatalf("got %d families, want %d", len(got), len(fams))
	}
	for i := range fams {
		if !proto.Equal(got[i], fams[i]) {
			t.Errorf("family %d: got %v, want %v", i, got[i], fams[i])
		}
	}
}

// gz compresses delimited messages.
func gz(t testing.TB, fams ...*dto.MetricFamily) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	for _, f := range fams {
		if _, err := protodelim.MarshalTo(zw, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gauge(name string, labels ...string) *dto.MetricFamily {
	m := &dto.Metric{Gauge: &dto.Gauge{Value: proto.Float64(1)}}
	for i := 0; i+1 < len(labels); i += 2 {
		m.Label = append(m.Label, &dto.LabelPair{Name: proto.String(labels[i]), Value: proto.String(labels[i+1])})
	}
	return &dto.MetricFamily{Name: proto.String(name), Type: dto.MetricType_GAUGE.Enum(), Metric: []*dto.Metric{m}}
}

func TestDecodeRefuses(t *testing.T) {
	good := gz(t, gauge("drover_x"))
	counterWithoutValue := &dto.MetricFamily{Name: proto.String("drover_c_total"), Type: dto.MetricType_COUNTER.Enum(),
		Metric: []*dto.Metric{{Gauge: &dto.Gauge{Value: proto.Float64(1)}}}}
	tests := []struct {
		name    string
		payload []byte
		lim     Limits
		tooBig  bool
	}{
		{"empty", nil, Limits{}, false},
		{"not gzip", []byte("drover_x 1\n"), Limits{}, false},
		{"truncated", good[:len(good)-6], Limits{}, false},
		{"garbage inside", gzBytes(t, []byte{0x05, 0xff, 0xff, 0xff, 0xff, 0xff}), Limits{}, false},
		{"bad name", gz(t, gauge("drover-x")), Limits{}, false},
		{"bad label", gz(t, gauge("drover_x", "a-b", "1")), Limits{}, false},
		{"reserved label", gz(t, gauge("drover_x", "__name__", "y")), Limits{}, false},
		{"repeated label", gz(t, gauge("drover_x", "a", "1", "a", "2")), Limits{}, false},
		{"bad utf8", gz(t, gauge("drover_x", "a", "\xff")), Limits{}, false},
		{"duplicate family", gz(t, gauge("drover_x"), gauge("drover_x")), Limits{}, false},
		{"value of wrong type", gz(t, counterWithoutValue), Limits{}, false},
		{"too many families", gz(t, gauge("drover_a"), gauge("drover_b")), Limits{MaxFamilies: 1}, true},
		{"too many series", gz(t, gauge("drover_a"), gauge("drover_b")), Limits{MaxSeries: 1}, true},
		{"too many bytes", gz(t, manyGauges(20)...), Limits{MaxBytes: 100}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fams, err := Decode(tt.payload, tt.lim)
			if !errors.Is(err, ErrPayload) || fams != nil {
				t.Fatalf("Decode = %v, %v; want ErrPayload", fams, err)
			}
			if errors.Is(err, ErrTooLarge) != tt.tooBig {
				t.Errorf("ErrTooLarge = %v, want %v (%v)", !tt.tooBig, tt.tooBig, err)
			}
		})
	}
}

func manyGauges(n int) []*dto.MetricFamily {
	var out []*dto.MetricFamily
	for i := range n {
		out = append(out, gauge("drover_gauge_"+strings.Repeat("x", i+1)))
	}
	return out
}

func gzBytes(t testing.TB, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecodeEmptyPayloadOfNoFamilies(t *testing.T) {
	fams, err := Decode(gz(t), Limits{})
	if err != nil || len(fams) != 0 {
		t.Fatalf("Decode(no families) = %v, %v", fams, err)
	}
}

// FuzzDecode: no panic; an accepted payload re-encodes and decodes to the
// same families; every error wraps ErrPayload.
func FuzzDecode(f *testing.F) {
	f.Add(gz(f, sampleFamilies(f)...))
	f.Add(gz(f, gauge("drover_x", "a", "1")))
	f.Add([]byte("\x1f\x8b"))
	f.Add([]byte(strings.Repeat("x", 64)))
	f.Fuzz(func(t *testing.T, payload []byte) {
		fams, err := Decode(payload, Limits{MaxBytes: 1 << 20})
		if err != nil {
			if !errors.Is(err, ErrPayload) {
				t.Fatalf("error does not wrap ErrPayload: %v", err)
			}
			return
		}
		again, err := Marshal(fams)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(again, Limits{MaxBytes: 1 << 20})
		if err != nil || len(back) != len(fams) {
			t.Fatalf("re-decode: %d families, %v; want %d", len(back), err, len(fams))
		}
	})
}
