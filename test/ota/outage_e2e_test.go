package otae2e

import (
	"testing"

	"github.com/drover-iot/drover/fleet"
	fleetclient "github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/state"
	"github.com/drover-iot/drover/ota/transfer"
)

// TestBrokerRestartMidTransfer holds one chunk back so the download is
// certainly under way, restarts Mosquitto (which keeps the retained
// artifact on disk), then releases the chunk: the device resumes with
// the chunks it had and finishes the update.
func TestBrokerRestartMidTransfer(t *testing.T) {
	e := newEnv(t)
	e.device("dev1")
	e.publish("v2", "v2", "2")
	const held = 200
	topic := transfer.Topics{Artifact: "agent"}.Chunk(transfer.KindFull, held)
	chunk := retained(t, e.mq.url(), topic)
	publishRaw(t, e.mq.url(), topic, nil) // cleared: the download waits for it
	pushed := push(e.client, "dev1")
	before := waitProgress(t, e.client, held)
	e.mq.restart()
	after := waitProgress(t, e.client, before.Done) // the agent is back and reports its progress
	if after.Done < before.Done {
		t.Fatalf("progress went back from %d to %d chunks: the download restarted", before.Done, after.Done)
	}
	publishRaw(t, e.mq.url(), topic, chunk)
	_, rec := settled(t, e.client, "dev1", "v2")
	if rec.State != state.Committed {
		t.Errorf("ota record %+v, want committed", rec)
	}
	<-pushed
}

// waitProgress waits until dev is downloading with at least n chunks.
func waitProgress(t testing.TB, c *fleetclient.Client, n int) state.Progress {
	t.Helper()
	var rec state.Record
	eventually(t, waitFor, "download progress", func() (bool, string) {
		if err := query(c, "dev1", fleet.CmdOTAStatus, &rec); err != nil {
			return false, err.Error()
		}
		ok := rec.State == state.Downloading && rec.Progress != nil && rec.Progress.Done >= n
		return ok, toJSON(rec)
	})
	return *rec.Progress
}
