package fleet

import (
	"errors"
	"strings"
	"testing"
)

func TestValidDeviceID(t *testing.T) {
	tests := []struct {
		id      string
		wantErr string // substring of the error; empty means valid
	}{
		{"pi-kitchen", ""},
		{"0", ""},
		{"gw.site_1-a", ""},
		{strings.Repeat("a", 63), ""},
		{"", "empty"},
		{strings.Repeat("a", 64), "longer than 63"},
		{"dev+1", "wildcard"},
		{"dev#", "wildcard"},
		{"site/dev", "'/'"},
		{"Kitchen", "start with"},
		{"kitChen", "upper case"},
		{"-dev", "start with"},
		{".dev", "start with"},
		{"dev 1", "not one of"},
		{"dév", "not one of"},
		{"ota", "reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			err := ValidDeviceID(tt.id)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidDeviceID(%q) = %v", tt.id, err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidDeviceID) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ValidDeviceID(%q) = %v, want %q", tt.id, err, tt.wantErr)
			}
		})
	}
}

func TestValidClientID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"fleetctl-3f2a", true},
		{"Ctl.1_x", true},
		{strings.Repeat("c", 128), true},
		{"", false},
		{strings.Repeat("c", 129), false},
		{"a/b", false},
		{"a+", false},
		{"#", false},
		{"a b", false},
	}
	for _, tt := range tests {
		err := ValidClientID(tt.id)
		if (err == nil) != tt.want {
			t.Errorf("ValidClientID(%q) = %v, want valid=%v", tt.id, err, tt.want)
		}
		if err != nil && !errors.Is(err, ErrInvalidClientID) {
			t.Errorf("ValidClientID(%q) error %v does not wrap ErrInvalidClientID", tt.id, err)
		}
	}
}

func FuzzValidDeviceID(f *testing.F) {
	for _, s := range []string{"pi", "Pi", "a/b", "", "ota", "a.b-c_d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if ValidDeviceID(id) != nil {
			return
		}
		topics := Topics{}
		p, err := topics.Parse(topics.State(id))
		if err != nil || p.Device != id || p.Kind != KindState {
			t.Fatalf("valid id %q does not round-trip through its state topic: %+v %v", id, p, err)
		}
	})
}
