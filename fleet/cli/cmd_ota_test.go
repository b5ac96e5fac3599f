package cli

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

// updateOTAGolden rewrites the OTA progress golden files:
// go test ./fleet/cli -run TestProgressViews -update-ota
var updateOTAGolden = flag.Bool("update-ota", false, "rewrite testdata/ota_*.golden")

// progressScript is one push to two devices as the views receive it.
var progressScript = []struct {
	dev string
	rec fleet.OTAStatus
}{
	{"pi", fleet.OTAStatus{State: "downloading", Progress: &fleet.OTAProgress{Done: 0, Total: 10}}},
	{"gw", fleet.OTAStatus{State: "downloading", Progress: &fleet.OTAProgress{Done: 5, Total: 10}}},
	{"pi", fleet.OTAStatus{State: "downloading", Progress: &fleet.OTAProgress{Done: 0, Total: 10}}}, // unchanged
	{"pi", fleet.OTAStatus{State: "downloading", Progress: &fleet.OTAProgress{Done: 10, Total: 10}}},
	{"gw", fleet.OTAStatus{State: "failed", Reason: "chunk_hash: chunk 6\x1b[31m\nsecond line"}},
	{"pi", fleet.OTAStatus{State: "restarting", Version: "v2"}},
}

func TestProgressViews(t *testing.T) {
	tests := []struct {
		name   string
		term   isTerminal
		golden string
	}{
		{"terminal", func(out io.Writer) (io.Writer, bool) { return out, true }, "ota_progress_bar.golden"},
		{"pipe", func(io.Writer) (io.Writer, bool) { return nil, false }, "ota_progress_lines.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			v := progressViewFor(&out, []string{"pi", "gw"}, tt.term)
			for _, s := range progressScript {
				v.update(s.dev, s.rec)
			}
			v.close()
			checkGolden(t, filepath.Join("testdata", tt.golden), out.Bytes())
		})
	}
}

// TestTerminalIsCharDevice: a regular file is not a terminal, so output
// redirected to a file gets plain lines.
func TestTerminalIsCharDevice(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, ok := terminal(f); ok {
		t.Fatal("a regular file was taken for a terminal")
	}
	if _, ok := terminal(&bytes.Buffer{}); ok {
		t.Fatal("a buffer was taken for a terminal")
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *updateOTAGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-ota to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s:\ngot:\n%q\nwant:\n%q", path, got, want)
	}
}
