package config

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want Size
		ok   bool
	}{
		{"512", 512, true},
		{"512B", 512, true},
		{"64KB", 64_000, true},
		{"10MB", 10_000_000, true},
		{"1GiB", 1 << 30, true},
		{"4 KiB", 4096, true},
		{"lots", 0, false},
		{"-1", 0, false},
		{"1.5MB", 0, false},
		{"99999999999GiB", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseSize(%q) = %v, %v", tt.in, got, err)
		}
		if !tt.ok && !errors.Is(err, ErrBadSize) {
			t.Errorf("ParseSize(%q) error %v is not ErrBadSize", tt.in, err)
		}
	}
}

func TestSizeString(t *testing.T) {
	for in, want := range map[Size]string{0: "0", 512: "512", 10_000_000: "10MB", 1 << 20: "1MiB", 1500: "1500"} {
		if got := in.String(); got != want {
			t.Errorf("Size(%d) = %q, want %q", int64(in), got, want)
		}
	}
}

func TestJSONShape(t *testing.T) {
	c, err := Parse([]byte(`id: dev
status_interval: 90s
journal: {file_max: 1MiB}
sensors:
  - name: air
    driver: bme280
    address: 0x76
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"status_interval":"1m30s"`, `"file_max":"1MiB"`,
		`"sensors":[{"address":118,"driver":"bme280","name":"air"}]`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON lacks %s:\n%s", want, data)
		}
	}
	if c.Sensors[0].Name != "air" || c.Sensors[0].Driver != "bme280" || c.Sensors[0].Node.Line != 5 {
		t.Errorf("sensor = %+v", c.Sensors[0])
	}
}
