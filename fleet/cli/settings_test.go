package cli

import (
	"errors"
	"os"
	"path/filepath"
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
			if s.Broker != tt.wantBroker || s.Timeout != tt.wantTO || s.Prefix != "site" || s.ServerName != "b.example" {
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
