package otae2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

// TestRolloutPausesOnFailingCanary rolls out to 10 agents whose first (the
// canary) does not trust the signing key: the canary fails, the rollout
// pauses past the failure threshold, and no other device is updated.
func TestRolloutPausesOnFailingCanary(t *testing.T) {
	e := newEnv(t)
	_, otherPub := keys(t, e.mq.url())
	for i := range 10 {
		id, pub := fmt.Sprintf("r%02d", i), e.pub
		if i == 0 {
			pub = otherPub // the canary refuses the artifact: unknown_key
		}
		startDevice(t, id, e.mq.url(), "v1", pub)
	}
	for i := range 10 {
		settled(t, e.client, fmt.Sprintf("r%02d", i), "v1")
	}
	e.publish("v2", "v2", "2")
	out, code := fleetctl(t, e.mq.url(), "ota", "rollout", "--canary", "1", "--waves", "50,100",
		"--max-failures", "10", "--poll", "500ms", "--selector", "fleet=e2e")
	if code != 1 || !strings.Contains(out, "paused") {
		t.Fatalf("rollout: exit %d, want 1 and paused:\n%s", code, out)
	}
	status := fleetctlOK(t, e.mq.url(), "ota", "rollout", "status")
	if !strings.Contains(status, "paused") || !strings.Contains(status, "unknown_key") {
		t.Errorf("rollout status lacks paused or the canary's reason:\n%s", status)
	}
	for i := 1; i < 10; i++ {
		var info fleet.InfoDoc
		if err := query(e.client, fmt.Sprintf("r%02d", i), fleet.CmdInfo, &info); err != nil || info.Version != "v1" {
			t.Errorf("r%02d: %s (%v), want v1: the paused rollout went on", i, info.Version, err)
		}
	}
}
