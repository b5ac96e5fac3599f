package otae2e

import (
	"os"
	"strings"
	"testing"

	"github.com/drover-iot/drover/ota/state"
	"github.com/drover-iot/drover/test/internal/harness"
)

// TestUpdateThroughNATSCluster: on a 3-node NATS JetStream cluster with
// MQTT, a signed update is published through one node (its retained
// manifest and chunks live in JetStream), the device, listing the other
// two nodes first, downloads it from its own node, and the push goes
// through the third: the device commits v2, and the binary at its path is
// v2.
func TestUpdateThroughNATSCluster(t *testing.T) {
	nodes := harness.StartNATSCluster(t, 3)
	pubNode, devNode, ctlNode := nodes[0].URL(), nodes[1].URL(), nodes[2].URL()
	key, pub := keys(t, pubNode)
	d := startDevice(t, "nats-ota", strings.Join([]string{devNode, ctlNode, pubNode}, ", "), "v1", pub)
	c := client(t, ctlNode)
	settled(t, c, "nats-ota", "v1")
	fleetctlOK(t, pubNode, "ota", "publish", bins["v2"], "--version", "v2", "--build", "2", "--key", key)
	if m := retainedManifest(t, ctlNode, "agent"); m.Size != fileSize(t, bins["v2"]) || len(m.Chunks) == 0 {
		t.Fatalf("retained manifest through another node: size %d, %d chunks", m.Size, len(m.Chunks))
	}
	var out string
	eventually(t, 2*waitFor, "the push through the third node reaches the device", func() (bool, string) {
		var code int
		out, code = fleetctl(t, ctlNode, "ota", "push", "nats-ota")
		return code == 0 || strings.Contains(out, "restarting"), out
	})
	if !strings.Contains(out, "downloading 100%") {
		t.Errorf("push output lacks the download:\n%s", out)
	}
	_, rec := settled(t, c, "nats-ota", "v2")
	if rec.State != state.Committed || rec.FromVersion != "v1" {
		t.Errorf("ota record %+v, want committed from v1", rec)
	}
	if d.binarySHA() != fileSHA(t, bins["v2"]) {
		t.Error("the binary at the device's path is not v2")
	}
}

func fileSize(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
