package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestResolvePrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "fleetctl.yaml")
	if err := os.WriteFile(file, []byte("broker: tcp://file:1883\ntimeout: 9s\nprefix: site\nserver-name: b.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		wantBroker string
		wantTO     time.Duration
	}{
		{"file", nil, nil, "tcp://file:1883", 9 * time.Second},
		{"env over file", nil, map[string]string{"DROVER_BROKER": "tcp://env:1883"}, "tcp://env:1883", 9 * time.Second},
		{"flag over env", []string{"--broker", "tcp://flag:1883", "--timeout", "1s"},
			map[string]string{"DROVER_BROKER": "tcp://env:1883"}, "tcp://flag:1883", time.Second},
		{"env list", nil, map[string]string{"DROVER_BROKER": "tcp://a:1883, tcp://b:1883"}, "tcp://a:1883,tcp://b:1883", 9 * time.Second},
		{"repeated flag", []string{"--broker", "tcp://a:1883", "--broker", "tcp://b:1883,tcp://c:1883"}, nil,
			"tcp://a:1883,tcp://b:1883,tcp://c:1883", 9 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var flags Settings
			fl := pflag.NewFlagSet("t", pflag.ContinueOnError)
			flags.bind(fl)
			if err := fl.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			s, err := resolve(flags, fl, file, false, func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(s.Brokers, ",") != tt.wantBroker || s.Timeout != tt.wantTO || s.Prefix != "site" || s.ServerName != "b.example" {
				t.Fatalf("settings = %+v", s)
			}
		})
	}
}

func TestResolveFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("broker: x\nbrokr: y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		path     string
		explicit bool
		wantErr  bool
	}{
		{"missing default file is fine", filepath.Join(dir, "none.yaml"), false, false},
		{"missing explicit file", filepath.Join(dir, "none.yaml"), true, true},
		{"unknown key", bad, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var flags Settings
			fl := pflag.NewFlagSet("t", pflag.ContinueOnError)
			flags.bind(fl)
			_, err := resolve(flags, fl, tt.path, tt.explicit, func(string) string { return "" })
			if (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, ErrUsage)) {
				t.Fatalf("resolve = %v, want error %v (usage)", err, tt.wantErr)
			}
		})
	}
}

// FuzzParseSettings: any config file gives settings or problems, never a
// panic and no empty problem.
func FuzzParseSettings(f *testing.F) {
	for _, s := range []string{"broker: tcp://x:1\ntimeout: 5s\n", "bogus: 1", "- a\n", "insecure: yes\n", "a: [1, {b: 2}]", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s := DefaultSettings()
		for _, p := range parseSettings(&s, []byte(raw)) {
			if p == "" {
				t.Fatal("empty problem")
			}
		}
	})
}

func TestBrokerListInFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "fleetctl.yaml")
	if err := os.WriteFile(file, []byte("broker:\n  - tcp://n1:1883\n  - tcp://n2:1883\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var flags Settings
	fl := pflag.NewFlagSet("t", pflag.ContinueOnError)
	flags.bind(fl)
	s, err := resolve(flags, fl, file, true, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.Brokers, ",") != "tcp://n1:1883,tcp://n2:1883" {
		t.Errorf("brokers = %q", s.Brokers)
	}
	if _, err := resolve(flags, fl, file, true, func(string) string { return "n3:1883" }); err == nil ||
		!strings.Contains(err.Error(), "n3:1883") {
		t.Errorf("a broker without a scheme: %v, want an error naming it", err)
	}
}
