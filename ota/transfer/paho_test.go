package transfer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet/broker"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/transfer"
)

func connect(t *testing.T, url, id string) paho.Client {
	t.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker(url).SetClientID(id))
	if tok := c.Connect(); !tok.WaitTimeout(20*time.Second) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return c
}

// TestPahoThroughBroker publishes with one client and fetches the retained
// chunks with another through the embedded broker (real MQTT retained
// messages and subscriptions).
func TestPahoThroughBroker(t *testing.T) {
	b := broker.New(broker.Options{Listen: "127.0.0.1:0"})
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	dir := t.TempDir()
	bin := otatest.RandomBytes(300<<10, 9)
	_, key := otatest.Key(t)
	pub := transfer.Paho{Client: connect(t, b.URL(), "ctl")}
	m, err := transfer.Publish(context.Background(), pub, transfer.PublishOptions{
		Topics: topics, BinaryPath: otatest.WriteFile(t, dir, "bin", bin), Version: "2", Build: 2,
		ChunkSize: 16 << 10, Key: &key,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	staged := filepath.Join(dir, "staged")
	f := transfer.NewFetcher(transfer.Paho{Client: connect(t, b.URL(), "dev")}, transfer.FetchOptions{Window: 4})
	if err := f.Fetch(ctx, topics, transfer.KindFull, m.Blob, staged); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(staged)
	if !bytes.Equal(got, bin) {
		t.Fatal("fetched file differs")
	}
}
