package agent

import (
	"slices"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/otatest"
)

// TestBirthCapabilitiesFollowTheCommandTable: the birth document lists
// the table's commands of the capabilities the agent has, ota.* only when
// OTA is configured.
func TestBirthCapabilitiesFollowTheCommandTable(t *testing.T) {
	for _, withOTA := range []bool{false, true} {
		t.Run(map[bool]string{false: "without OTA", true: "with OTA"}[withOTA], func(t *testing.T) {
			cfg := testConfig(t, "tcp://127.0.0.1:1", t.TempDir())
			want := fleet.Offered(fleet.CapCore)
			if withOTA {
				key, _ := otatest.Key(t)
				cfg.OTA.TrustedKeys = []string{string(key.Public)}
				want = fleet.Commands()
			}
			a, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := a.info().Capabilities
			if !slices.Equal(got, want) {
				t.Fatalf("capabilities = %v, want %v", got, want)
			}
			hasOTA := slices.ContainsFunc(got, func(c string) bool { return strings.HasPrefix(c, "ota.") })
			if hasOTA != withOTA || !slices.Contains(got, fleet.CmdTaskStop) {
				t.Fatalf("capabilities = %v: ota.* listed %v, want %v; task.stop missing?", got, hasOTA, withOTA)
			}
		})
	}
}
