package otae2e

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet"
	fleetclient "github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/state"
	"github.com/drover-iot/drover/ota/transfer"
)

// keys makes a key pair with fleetctl and returns the secret key file
// and the trusted_keys line.
func keys(t testing.TB, broker string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	fleetctlOK(t, broker, "ota", "keygen", "--out", dir)
	pub, err := os.ReadFile(filepath.Join(dir, "ota.pub"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(pub)), "\n")
	return filepath.Join(dir, "ota.key"), lines[len(lines)-1]
}

// env is one test's broker, key and client.
type env struct {
	t      *testing.T
	mq     *mosquitto
	key    string
	pub    string
	client *fleetclient.Client
}

func newEnv(t *testing.T) *env {
	mq := startMosquitto(t)
	key, pub := keys(t, mq.url())
	return &env{t: t, mq: mq, key: key, pub: pub, client: client(t, mq.url())}
}

func (e *env) publish(binary, version, build string, extra ...string) string {
	e.t.Helper()
	return e.publishFile(bins[binary], version, build, extra...)
}

// publishFile publishes the file at path.
func (e *env) publishFile(path, version, build string, extra ...string) string {
	e.t.Helper()
	args := append([]string{"ota", "publish", path, "--version", version, "--build", build, "--key", e.key}, extra...)
	return fleetctlOK(e.t, e.mq.url(), args...)
}

// device starts a v1 device trusting the env's key and waits for it.
func (e *env) device(id string) *device {
	e.t.Helper()
	d := startDevice(e.t, id, e.mq.url(), "v1", e.pub)
	settled(e.t, e.client, id, "v1")
	return d
}

func TestUpdateSucceeds(t *testing.T) {
	e := newEnv(t)
	d := e.device("dev1")
	e.publish("v2", "v2", "2")
	out := fleetctlOK(t, e.mq.url(), "ota", "push", "dev1")
	for _, want := range []string{"downloading 100%", "staged", "restarting"} {
		if !strings.Contains(out, want) {
			t.Errorf("push output lacks %q:\n%s", want, out)
		}
	}
	_, rec := settled(t, e.client, "dev1", "v2")
	var info fleet.InfoDoc
	if err := query(e.client, "dev1", fleet.CmdInfo, &info); err != nil || info.Build != 2 || len(info.OTAKeys) != 1 {
		t.Errorf("info after the update: %+v (%v), want build 2 and one trusted key", info, err)
	}
	if rec.State != state.Committed || rec.FromVersion != "v1" {
		t.Errorf("ota record %+v, want committed from v1", rec)
	}
	if d.binarySHA() != fileSHA(t, bins["v2"]) {
		t.Error("the binary at the device's path is not v2")
	}
	waitState(t, e.client, "dev1", fleet.StateOnline)
}

func TestDeltaUpdate(t *testing.T) {
	e := newEnv(t)
	e.device("dev1")
	e.publish("v2", "v2", "2", "--delta-from", bins["v1"])
	m := retainedManifest(t, e.mq.url(), "agent")
	if m.Delta == nil || m.Delta.Size >= m.Size || len(m.Delta.Chunks) >= len(m.Chunks) {
		t.Fatalf("delta %+v: want fewer bytes and chunks than the full %d bytes in %d chunks", m.Delta, m.Size, len(m.Chunks))
	}
	t.Logf("full %d bytes in %d chunks, delta %d bytes in %d chunks", m.Size, len(m.Chunks), m.Delta.Size, len(m.Delta.Chunks))
	fleetctlOK(t, e.mq.url(), "ota", "push", "dev1")
	_, rec := settled(t, e.client, "dev1", "v2")
	if !rec.Delta || rec.State != state.Committed {
		t.Errorf("ota record %+v: want a committed delta update", rec)
	}
}

// manifestDoc is the part of a manifest the tests read.
type manifestDoc struct {
	Size   int64    `json:"size"`
	Chunks []string `json:"chunks"`
	Delta  *struct {
		Size   int64    `json:"size"`
		Chunks []string `json:"chunks"`
	} `json:"delta"`
}

// retainedManifest reads the retained envelope of artifact and decodes
// its manifest; retained returns any retained payload.
func retainedManifest(t testing.TB, broker, artifact string) manifestDoc {
	t.Helper()
	var env struct {
		Manifest string `json:"manifest"`
	}
	if err := json.Unmarshal(retained(t, broker, transfer.Topics{Artifact: artifact}.Manifest()), &env); err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(env.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m manifestDoc
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func retained(t testing.TB, broker, topic string) []byte {
	t.Helper()
	c := mqttClient(t, broker)
	got := make(chan []byte, 1)
	c.Subscribe(topic, 1, func(_ paho.Client, m paho.Message) {
		select {
		case got <- m.Payload():
		default:
		}
	})
	select {
	case p := <-got:
		return p
	case <-time.After(waitFor):
		t.Fatalf("no retained message on %s", topic)
		return nil
	}
}

func mqttClient(t testing.TB, broker string) paho.Client {
	t.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker(broker).SetClientID("e2e-" + strings.ReplaceAll(t.Name(), "/", "-") +
		time.Now().Format("150405.000000")))
	if tok := c.Connect(); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return c
}

// publishRaw publishes a retained payload (tampering with an artifact).
func publishRaw(t testing.TB, broker, topic string, payload []byte) {
	t.Helper()
	if tok := mqttClient(t, broker).Publish(topic, 1, true, payload); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
		t.Fatalf("publish %s: %v", topic, tok.Error())
	}
}
