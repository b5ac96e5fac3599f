package exporter

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// encoded is one device family kept as its text-format sample lines, so a
// scrape of 1,000 devices copies bytes instead of encoding (and keeping)
// hundreds of thousands of protobuf messages.
type encoded struct {
	name, help string
	typ        dto.MetricType
	samples    []byte
}

// encodeFamilies renders each family's samples; empty families are left out.
func encodeFamilies(fams []*dto.MetricFamily) ([]encoded, error) {
	out := make([]encoded, 0, len(fams))
	var buf bytes.Buffer
	for _, f := range fams {
		if len(f.Metric) == 0 {
			continue
		}
		buf.Reset()
		bare := &dto.MetricFamily{Name: f.Name, Type: f.Type, Metric: f.Metric} // no HELP line
		if _, err := expfmt.MetricFamilyToText(&buf, bare); err != nil {
			return nil, fmt.Errorf("%w: family %s: %w", ErrBadMessage, f.GetName(), err)
		}
		_, samples, _ := bytes.Cut(buf.Bytes(), []byte("\n")) // drop the TYPE line
		out = append(out, encoded{name: f.GetName(), help: f.GetHelp(), typ: f.GetType(), samples: bytes.Clone(samples)})
	}
	return out, nil
}

var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)

// writeHeader writes the HELP and TYPE lines of a family.
func writeHeader(w io.Writer, e encoded) error {
	_, err := fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", e.name, helpEscaper.Replace(e.help),
		e.name, strings.ToLower(e.typ.String()))
	return err
}
