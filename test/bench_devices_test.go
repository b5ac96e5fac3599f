package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet"
)

// seedDevices publishes n retained state and info documents, as n agents
// would, and waits for every acknowledgement.
func seedDevices(b *testing.B, broker string, n int) {
	b.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker(broker).SetClientID("e2e-seed"))
	if tok := c.Connect(); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
		b.Fatalf("seed connect: %v", tok.Error())
	}
	defer c.Disconnect(100)
	toks := make([]paho.Token, 0, 2*n)
	for i := range n {
		id := fmt.Sprintf("dev%05d", i)
		info, err := json.Marshal(fleet.InfoDoc{V: fleet.Version, ID: id, Version: "v1.2.3", OS: "linux", Arch: "arm64",
			StartedAt: time.Now().UTC(), Labels: map[string]string{"site": fmt.Sprint("s", i%10)}})
		if err != nil {
			b.Fatal(err)
		}
		toks = append(toks, c.Publish("drover/"+id+"/state", 1, true, "online"), c.Publish("drover/"+id+"/info", 1, true, info))
	}
	for _, tok := range toks {
		if !tok.WaitTimeout(waitFor) || tok.Error() != nil {
			b.Fatalf("seed publish: %v", tok.Error())
		}
	}
}

// BenchmarkFleetctlDevices1000 times the built fleetctl binary listing
// 1,000 devices from retained messages in Mosquitto (process start, connect,
// subscribe, receive 2,000 retained messages, print JSON).
func BenchmarkFleetctlDevices1000(b *testing.B) { benchFleetctlDevices(b, 1000) }

// BenchmarkFleetctlDevices10000 is the same with 10,000 devices (20,000
// retained messages).
func BenchmarkFleetctlDevices10000(b *testing.B) { benchFleetctlDevices(b, 10000) }

func benchFleetctlDevices(b *testing.B, n int) {
	m := startMosquitto(b)
	seedDevices(b, m.url(), n)
	home := b.TempDir()
	for b.Loop() {
		cmd := exec.Command(bins["fleetctl"], "--broker", m.url(), "-o", "json", "devices")
		cmd.Env = append(os.Environ(), "HOME="+home)
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("fleetctl devices: %v", err)
		}
		var devs []json.RawMessage
		if err := json.Unmarshal(out, &devs); err != nil || len(devs) != n {
			b.Fatalf("fleetctl devices listed %d devices (%v), want %d", len(devs), err, n)
		}
	}
}
