package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/drover-iot/drover/fleet/statustext"
)

// table is rows of cells under a header, printed aligned.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.header, "\t"))
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// emit prints doc as JSON or YAML, or calls tableFn for the table format,
// through a buffer: a listing of 10,000 devices is then a few writes, not
// one per cell.
func emit(w io.Writer, format string, doc any, tableFn func() *table) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	err := emitTo(bw, format, doc, tableFn)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

func emitTo(w io.Writer, format string, doc any, tableFn func() *table) error {
	switch format {
	case OutputJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	case OutputYAML:
		return writeYAML(w, doc)
	default:
		return tableFn().write(w)
	}
}

// writeYAML prints doc as block YAML, keeping its JSON field names and order.
func writeYAML(w io.Writer, doc any) error {
	raw, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encode output: %w", err)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(raw, &node); err != nil {
		return fmt.Errorf("encode output: %w", err)
	}
	blockStyle(&node)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return fmt.Errorf("encode output: %w", err)
	}
	return enc.Close()
}

func blockStyle(n *yaml.Node) {
	n.Style = 0 // block collections, plain scalars (quoted only where needed)
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// ago renders the age of t relative to now, or "-" for the zero time.
func ago(now time.Time, t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return duration(now.Sub(*t)) + " ago"
}

// duration renders d rounded to a readable unit: 45s, 12m, 5h3m, 3d4h.
func duration(d time.Duration) string { return statustext.Compact(d) }

// orDash returns s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
