// Package docs checks that reference pages under docs/ match the code.
package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// definedMetric finds a metric name where the code defines one: a
// prometheus.NewDesc, an Opts' Name field or the exporter's gauge helper.
var definedMetric = regexp.MustCompile(`(?:NewDesc\(|Name:\s*|gauge\()"(drover_[a-z0-9_]+)"`)

// documentedMetric finds a metric name in the first cell of a table row.
var documentedMetric = regexp.MustCompile("(?m)^\\| `(drover_[a-z0-9_<>]+)`")

// TestMetricsDocumented checks, both ways, that the drover_ families the
// code defines and the rows of docs/metrics.md agree.
func TestMetricsDocumented(t *testing.T) {
	code := codeMetrics(t, "../..")
	doc, err := os.ReadFile("../../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range documentedMetric.FindAllStringSubmatch(string(doc), -1) {
		documented[m[1]] = true
	}
	for name, file := range code {
		if !documented[name] {
			t.Errorf("%s (defined in %s) has no row in docs/metrics.md", name, file)
		}
	}
	for name := range documented {
		if _, ok := code[name]; !ok && !strings.Contains(name, "<") {
			t.Errorf("docs/metrics.md documents %s, which no code defines", name)
		}
	}
	if len(code) < 20 {
		t.Errorf("found only %d metric definitions in the code: is the pattern stale?", len(code))
	}
}

// codeMetrics returns the metric names defined in the non-test Go files
// under root, each with a file that defines it.
func codeMetrics(t *testing.T, root string) map[string]string {
	t.Helper()
	found := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range definedMetric.FindAllStringSubmatch(string(src), -1) {
			found[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}
