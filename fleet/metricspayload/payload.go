// Package metricspayload is the wire format of drover/<dev>/metrics: an
// agent's Prometheus metric families as length-delimited protobuf
// (Prometheus' own exposition format "delimited"), gzip-compressed. The
// agent encodes its registry with Marshal; the exporter decodes untrusted
// payloads with Decode, which bounds sizes and checks every family.
package metricspayload

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"sync"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/encoding/protodelim"
)

// ContentType names the payload format in docs/PROTOCOL.md.
const ContentType = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; compression=gzip"

// Marshal encodes fams as gzip-compressed delimited protobuf.
func Marshal(fams []*dto.MetricFamily) ([]byte, error) {
	var buf bytes.Buffer
	if err := Encode(&buf, fams); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writers keeps gzip writers between payloads: a new one allocates about
// 800 KB of compressor state, 80 % of what an agent's metrics publish
// allocated, every publish_interval.
var writers = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

// Encode writes fams to w as gzip-compressed delimited protobuf.
func Encode(w io.Writer, fams []*dto.MetricFamily) error {
	zw := writers.Get().(*gzip.Writer)
	defer writers.Put(zw)
	zw.Reset(w)
	for _, f := range fams {
		if _, err := protodelim.MarshalTo(zw, f); err != nil {
			return fmt.Errorf("metricspayload: encode %s: %w", f.GetName(), err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("metricspayload: compress: %w", err)
	}
	return nil
}
