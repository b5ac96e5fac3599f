package system

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/sensors"
)

const netDev = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:  1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
  eth0: 123456    100    0    0    0     0          0         0   654321     200    0    0    0     0       0          0
`

// fakeRoot builds a sysfs/procfs tree; files maps paths to contents.
func fakeRoot(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, content := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func goodTree() map[string]string {
	return map[string]string{
		"proc/loadavg":                         "0.52 0.58 0.59 1/467 12345\n",
		"proc/uptime":                          "12345.67 2345.60\n",
		"proc/meminfo":                         "MemTotal:       16318412 kB\nMemFree:  100 kB\nMemAvailable:    8000000 kB\n",
		"proc/net/dev":                         netDev,
		"sys/class/thermal/thermal_zone0/temp": "45000\n",
		"sys/class/thermal/thermal_zone0/type": "cpu-thermal\n",
		"sys/class/hwmon/hwmon0/name":          "coretemp\n",
		"sys/class/hwmon/hwmon0/temp1_input":   "52500\n",
		"sys/class/hwmon/hwmon0/temp1_label":   "Package id 0\n",
		"sys/class/hwmon/hwmon0/temp2_input":   "50000\n",
		"sys/class/hwmon/hwmon1/name":          "coretemp\n",
		"sys/class/hwmon/hwmon1/temp1_input":   "-1500\n",
	}
}

func fakeStatfs(path string) (sensors.FSUsage, error) {
	if strings.HasSuffix(path, "missing") {
		return sensors.FSUsage{}, os.ErrNotExist
	}
	return sensors.FSUsage{Size: 1000, Free: 600, Avail: 500}, nil
}

func read(t *testing.T, cfg Config) (map[string]sensors.Reading, error) {
	t.Helper()
	s, err := New("sys", cfg, clockwork.NewFakeClock(), fakeStatfs)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Read(t.Context())
	got := map[string]sensors.Reading{}
	for _, r := range rs {
		if r.Sensor != "sys" || r.Time.IsZero() {
			t.Fatalf("bad reading %+v", r)
		}
		k := key(r)
		if _, dup := got[k]; dup {
			t.Fatalf("two readings %s", k)
		}
		got[k] = r
	}
	return got, err
}

// key is a reading's metric and labels, e.g. network_receive_bytes{interface=eth0}.
func key(r sensors.Reading) string {
	if len(r.Labels) == 0 {
		return r.Metric
	}
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(r.Labels)) {
		kv = append(kv, k+"="+r.Labels[k])
	}
	return r.Metric + "{" + strings.Join(kv, ",") + "}"
}

func TestReadsEverySource(t *testing.T) {
	root := fakeRoot(t, goodTree())
	got, err := read(t, Config{Root: root, Mounts: []string{"/", "/data"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		v    float64
		unit string
	}{
		"load1": {0.52, ""}, "load5": {0.58, ""}, "load15": {0.59, ""},
		"uptime":                                 {12345.67, "seconds"},
		"memory_total":                           {16318412 * 1024, "bytes"},
		"memory_available":                       {8000000 * 1024, "bytes"},
		"network_receive_bytes{interface=eth0}":  {123456, "bytes"},
		"network_transmit_bytes{interface=eth0}": {654321, "bytes"},
		"thermal_zone_temperature{type=cpu-thermal,zone=0}":   {45, "celsius"},
		"hwmon_temperature{chip=coretemp,input=Package id 0}": {52.5, "celsius"},
		"hwmon_temperature{chip=coretemp,input=temp2}":        {50, "celsius"},
		"hwmon_temperature{chip=coretemp_1,input=temp1}":      {-1.5, "celsius"},
		"filesystem_size_bytes{mount=/}":                      {1000, "bytes"},
		"filesystem_avail_bytes{mount=/}":                     {500, "bytes"},
		"filesystem_size_bytes{mount=/data}":                  {1000, "bytes"},
		"filesystem_avail_bytes{mount=/data}":                 {500, "bytes"},
	}
	for m, w := range want {
		r, ok := got[m]
		if !ok || r.Value != w.v || r.Unit != w.unit {
			t.Errorf("%s = %+v (present %v), want %v %s", m, r, ok, w.v, w.unit)
		}
	}
	if _, ok := got["network_receive_bytes{interface=lo}"]; ok {
		t.Error("lo reported by default")
	}
	if len(got) != len(want) {
		t.Errorf("got %d metrics, want %d: %v", len(got), len(want), got)
	}
}

func TestBrokenSourcesDoNotHideOthers(t *testing.T) {
	tests := []struct {
		name     string
		change   map[string]string // "" deletes the file
		mounts   []string
		wantErr  string
		wantIs   error
		stillHas string
		missing  string
	}{
		{"garbage loadavg", map[string]string{"proc/loadavg": "not numbers at all\n"},
			nil, "proc/loadavg", sensors.ErrParse, "memory_total", "load1"},
		{"missing meminfo", map[string]string{"proc/meminfo": ""},
			nil, "memory", os.ErrNotExist, "load1", "memory_total"},
		{"meminfo without MemAvailable", map[string]string{"proc/meminfo": "MemTotal: 1 kB\n"},
			nil, "MemAvailable missing", sensors.ErrParse, "uptime", "memory_total"},
		{"garbage thermal", map[string]string{"sys/class/thermal/thermal_zone0/temp": "hot\n"},
			nil, "thermal_zone0/temp", sensors.ErrParse, "hwmon_temperature{chip=coretemp,input=temp2}", "thermal_zone_temperature{type=cpu-thermal,zone=0}"},
		{"garbage hwmon", map[string]string{"sys/class/hwmon/hwmon0/temp2_input": "??\n"},
			nil, "temp2_input", sensors.ErrParse, "hwmon_temperature{chip=coretemp,input=Package id 0}", "hwmon_temperature{chip=coretemp,input=temp2}"},
		{"short net/dev line", map[string]string{"proc/net/dev": netDev + "eth1: 1 2 3\n"},
			nil, "line 5", sensors.ErrParse, "load1", ""},
		{"failing statfs", nil, []string{"/missing", "/"}, "filesystem /missing", os.ErrNotExist,
			"filesystem_size_bytes{mount=/}", "filesystem_size_bytes{mount=/missing}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := goodTree()
			for p, c := range tt.change {
				if c == "" {
					delete(files, p)
				} else {
					files[p] = c
				}
			}
			got, err := read(t, Config{Root: fakeRoot(t, files), Mounts: tt.mounts})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, tt.wantIs) {
				t.Fatalf("err = %v, want it to mention %q and wrap %v", err, tt.wantErr, tt.wantIs)
			}
			if _, ok := got[tt.stillHas]; !ok {
				t.Errorf("%s missing: a broken source hid the others", tt.stillHas)
			}
			if _, ok := got[tt.missing]; ok && tt.missing != "" {
				t.Errorf("%s reported from a broken source", tt.missing)
			}
		})
	}
}

func TestNoThermalHardwareIsNotAnError(t *testing.T) {
	files := goodTree()
	for p := range files {
		if strings.HasPrefix(p, "sys/") {
			delete(files, p)
		}
	}
	got, err := read(t, Config{Root: fakeRoot(t, files), Include: []string{Thermal, Hwmon, Load}})
	if err != nil || len(got) != 3 {
		t.Fatalf("got %v, %v; want the three load readings only", got, err)
	}
}

func TestConfig(t *testing.T) {
	if _, err := New("s", Config{Include: []string{"gpu"}}, clockwork.NewFakeClock(), nil); !errors.Is(err, ErrSource) {
		t.Fatalf("err = %v, want ErrSource", err)
	}
	got, err := read(t, Config{Root: fakeRoot(t, goodTree()), Include: []string{Network}, Interfaces: []string{"lo"}})
	if err != nil || len(got) != 2 || got["network_receive_bytes{interface=lo}"].Value != 1000 {
		t.Fatalf("interfaces filter: %v, %v", got, err)
	}
}

// The real machine: every default source reads without error.
func TestRealMachine(t *testing.T) {
	if _, err := os.Stat("/proc/loadavg"); err != nil {
		t.Skip("no procfs")
	}
	s, err := New("sys", Config{}, clockwork.NewRealClock(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 7 {
		t.Fatalf("only %d readings: %v", len(rs), rs)
	}
}

func FuzzParsers(f *testing.F) {
	f.Add([]byte(netDev))
	f.Add([]byte(goodTree()["proc/meminfo"]))
	f.Add([]byte("0.1 0.2 0.3 1/2 3"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = parseNetDev(b, func(iface []byte, rx, tx uint64) {})
		if total, avail, err := parseMeminfo(b); err == nil && (total < 0 || avail < 0) {
			t.Fatalf("negative memory %v %v", total, avail)
		}
		if v, err := parseFloats(b, 3); err == nil && len(v) != 3 {
			t.Fatalf("parseFloats gave %d values", len(v))
		}
	})
}

// TestOneMetricPerKind: the subject (interface, mount, zone, chip) is in
// the labels, never in the metric name, and every reading of one metric
// has the same label keys, as Prometheus requires of one metric family.
func TestOneMetricPerKind(t *testing.T) {
	s, err := New("sys", Config{Root: fakeRoot(t, goodTree()), Mounts: []string{"/", "/data"}}, clockwork.NewFakeClock(), fakeStatfs)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, r := range rs {
		if strings.Contains(r.Metric, "eth0") || strings.Contains(r.Metric, "data") || strings.Contains(r.Metric, "coretemp") {
			t.Errorf("metric %q names its subject", r.Metric)
		}
		ks := strings.Join(slices.Sorted(maps.Keys(r.Labels)), ",")
		if prev, ok := keys[r.Metric]; ok && prev != ks {
			t.Errorf("%s: label keys %q and %q", r.Metric, prev, ks)
		}
		keys[r.Metric] = ks
	}
	for m, want := range map[string]string{MetricNetReceive: "interface", MetricFSSize: "mount",
		MetricThermal: "type,zone", MetricHwmon: "chip,input", "load1": ""} {
		if got, ok := keys[m]; !ok || got != want {
			t.Errorf("%s labels = %q (present %v), want %q", m, got, ok, want)
		}
	}
}
