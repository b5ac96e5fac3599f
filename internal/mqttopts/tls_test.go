package mqttopts

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestTLSConfig(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pem")
	if err := os.WriteFile(bad, []byte("not a cert"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		tls     TLS
		wantNil bool
		wantErr bool
	}{
		{"none", TLS{}, true, false},
		{"server name only", TLS{ServerName: "broker"}, false, false},
		{"missing CA", TLS{CA: filepath.Join(dir, "nope")}, false, true},
		{"CA without certificate", TLS{CA: bad}, false, true},
		{"bad key pair", TLS{Cert: bad, Key: bad}, false, true},
		{"cert without key", TLS{Cert: bad}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := tt.tls.Config()
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrTLS) {
				t.Errorf("error %v is not ErrTLS", err)
			}
			if !tt.wantErr && (cfg == nil) != tt.wantNil {
				t.Errorf("cfg nil = %v, want %v", cfg == nil, tt.wantNil)
			}
			if cfg != nil && cfg.ServerName != tt.tls.ServerName {
				t.Errorf("server name %q", cfg.ServerName)
			}
		})
	}
}
