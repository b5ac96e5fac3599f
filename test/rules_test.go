package e2e

import (
	"os/exec"
	"testing"
)

// TestAlertRules runs `promtool check rules` and `promtool test rules` on
// the compose stack's alert rules (docker/prometheus), so `go test ./...`
// and `make test` fail on a broken rule or a rule whose unit test fails.
func TestAlertRules(t *testing.T) {
	promtool := need(t, "promtool")
	for _, args := range [][]string{
		{"check", "rules", "../docker/prometheus/rules.yml"},
		{"test", "rules", "../docker/prometheus/rules_test.yml"},
		{"check", "config", "--syntax-only", "../docker/prometheus/prometheus.yml"},
	} {
		out, err := exec.Command(promtool, args...).CombinedOutput()
		if err != nil {
			t.Errorf("promtool %v: %v\n%s", args, err, out)
		}
	}
}
