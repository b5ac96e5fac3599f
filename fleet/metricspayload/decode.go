package metricspayload

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/model"
	"google.golang.org/protobuf/encoding/protodelim"
)

// Defaults of Limits.
const (
	DefaultMaxBytes    = 8 << 20
	DefaultMaxFamilies = 2000
	DefaultMaxSeries   = 50000
)

// Limits bound what Decode accepts from one payload. Zero fields take the
// Default* values.
type Limits struct {
	// MaxBytes bounds the decompressed size. Default: DefaultMaxBytes (8 MiB).
	MaxBytes int64
	// MaxFamilies bounds the number of families. Default: DefaultMaxFamilies.
	MaxFamilies int
	// MaxSeries bounds the number of metrics of all families. Default: DefaultMaxSeries.
	MaxSeries int
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxFamilies <= 0 {
		l.MaxFamilies = DefaultMaxFamilies
	}
	if l.MaxSeries <= 0 {
		l.MaxSeries = DefaultMaxSeries
	}
	return l
}

// Decode reads the families of one payload. Any problem (not gzip, a
// truncated or malformed message, an invalid name, a metric whose value
// does not match its family's type, a duplicate family, a limit passed)
// gives an error wrapping ErrPayload (and ErrTooLarge for limits); no
// family of a bad payload is returned.
func Decode(payload []byte, lim Limits) ([]*dto.MetricFamily, error) {
	lim = lim.withDefaults()
	zr, err := gzip.NewReader(bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %w", ErrPayload, err)
	}
	r := &limitReader{r: zr, left: lim.MaxBytes, max: lim.MaxBytes}
	br := bufio.NewReader(r)
	var fams []*dto.MetricFamily
	seen := map[string]bool{}
	series := 0
	for {
		f := &dto.MetricFamily{}
		err := protodelim.UnmarshalOptions{MaxSize: lim.MaxBytes}.UnmarshalFrom(br, f)
		if errors.Is(err, io.EOF) && !r.over {
			return fams, nil
		}
		if err != nil {
			return nil, r.wrap(err)
		}
		series += len(f.GetMetric())
		if len(fams) >= lim.MaxFamilies || series > lim.MaxSeries {
			return nil, fmt.Errorf("%w: %w: over %d families or %d series", ErrPayload, ErrTooLarge, lim.MaxFamilies, lim.MaxSeries)
		}
		if err := checkFamily(f, seen); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrPayload, err)
		}
		fams = append(fams, f)
	}
}

// limitReader fails once more than left bytes were read.
type limitReader struct {
	r    io.Reader
	left int64
	max  int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		l.over = true
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

func (l *limitReader) wrap(err error) error {
	if l.over {
		return fmt.Errorf("%w: %w: over %d bytes decompressed", ErrPayload, ErrTooLarge, l.max)
	}
	return fmt.Errorf("%w: %w", ErrPayload, err)
}

func checkFamily(f *dto.MetricFamily, seen map[string]bool) error {
	name := f.GetName()
	if !model.IsValidLegacyMetricName(name) {
		return fmt.Errorf("invalid metric name %q", name)
	}
	if seen[name] {
		return fmt.Errorf("family %s twice", name)
	}
	seen[name] = true
	if !utf8.ValidString(f.GetHelp()) {
		return fmt.Errorf("%s: help is not UTF-8", name)
	}
	for _, m := range f.GetMetric() {
		if err := checkMetric(f.GetType(), m); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func checkMetric(t dto.MetricType, m *dto.Metric) error {
	if m == nil {
		return errors.New("empty metric")
	}
	if !hasValue(t, m) {
		return fmt.Errorf("metric without a %s value", t)
	}
	names := make(map[string]bool, len(m.GetLabel()))
	for _, l := range m.GetLabel() {
		n := l.GetName()
		if !model.LabelName(n).IsValidLegacy() || len(n) >= 2 && n[:2] == "__" || names[n] {
			return fmt.Errorf("invalid or repeated label name %q", n)
		}
		if !utf8.ValidString(l.GetValue()) {
			return fmt.Errorf("label %s: value is not UTF-8", n)
		}
		names[n] = true
	}
	return nil
}

func hasValue(t dto.MetricType, m *dto.Metric) bool {
	switch t {
	case dto.MetricType_COUNTER:
		return m.Counter != nil
	case dto.MetricType_GAUGE:
		return m.Gauge != nil
	case dto.MetricType_SUMMARY:
		return m.Summary != nil
	case dto.MetricType_HISTOGRAM:
		return m.Histogram != nil
	case dto.MetricType_UNTYPED:
		return m.Untyped != nil
	}
	return false
}
