package fleet

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestCommandTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range CommandTable() {
		if seen[s.Name] {
			t.Errorf("%s listed twice", s.Name)
		}
		seen[s.Name] = true
		if s.Args != nil && s.Args.Kind() != reflect.Struct {
			t.Errorf("%s: args %v is not a struct, but args are a JSON object", s.Name, s.Args)
		}
		if !slices.Contains([]Role{RoleViewer, RoleOperator, RoleAdmin}, s.Role) {
			t.Errorf("%s: role %q is not viewer, operator or admin", s.Name, s.Role)
		}
		if (s.Capability == CapOTA) != strings.HasPrefix(s.Name, "ota.") {
			t.Errorf("%s: capability %q", s.Name, s.Capability)
		}
		if got, ok := LookupCommand(s.Name); !ok || got.Name != s.Name {
			t.Errorf("LookupCommand(%s) = %+v, %v", s.Name, got, ok)
		}
	}
	if _, ok := LookupCommand("rm"); ok {
		t.Error("LookupCommand found a command that is not in the table")
	}
	if got := Commands(); len(got) != len(seen) || got[0] != CmdPing {
		t.Errorf("Commands() = %v", got)
	}
}

func TestOffered(t *testing.T) {
	core := Offered(CapCore)
	if slices.Contains(core, CmdOTAApply) || !slices.Contains(core, CmdTaskStop) {
		t.Errorf("Offered(core) = %v", core)
	}
	if all := Offered(CapCore, CapOTA); !slices.Equal(all, Commands()) {
		t.Errorf("Offered(core, ota) = %v, want every command", all)
	}
	if none := Offered(); len(none) != 0 {
		t.Errorf("Offered() = %v, want nothing", none)
	}
}

func TestRoleIncludes(t *testing.T) {
	tests := []struct {
		have, need Role
		want       bool
	}{
		{RoleAdmin, RoleViewer, true},
		{RoleAdmin, RoleAdmin, true},
		{RoleOperator, RoleViewer, true},
		{RoleOperator, RoleAdmin, false},
		{RoleViewer, RoleOperator, false},
		{"root", RoleViewer, false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := tt.have.Includes(tt.need); got != tt.want {
			t.Errorf("%q.Includes(%q) = %v, want %v", tt.have, tt.need, got, tt.want)
		}
	}
}

// TestRolesOfIssue13 pins the roles the signed-commands design gives.
func TestRolesOfIssue13(t *testing.T) {
	viewer := []string{CmdPing, CmdInfo, CmdStatus, CmdLogs, CmdLogFollow, CmdScheduleList, CmdSensorsRead, CmdOTAStatus}
	admin := []string{CmdConfigGet, CmdAgentRestart, CmdOTAApply}
	for _, s := range CommandTable() {
		want := RoleOperator
		switch {
		case slices.Contains(viewer, s.Name):
			want = RoleViewer
		case slices.Contains(admin, s.Name):
			want = RoleAdmin
		}
		if s.Role != want {
			t.Errorf("%s: role %s, want %s", s.Name, s.Role, want)
		}
	}
}
