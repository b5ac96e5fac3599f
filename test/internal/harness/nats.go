package harness

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// NATSNode is one node of a real NATS cluster with JetStream and its MQTT
// listener, each in its own directory and ports.
type NATSNode struct {
	Name string
	// MQTTPort is the port of its MQTT listener; HTTPPort its monitoring.
	MQTTPort, HTTPPort int

	t    testing.TB
	conf string
	d    *daemon
}

// StartNATSCluster starts an n-node NATS JetStream cluster (a single
// server when n is 1) with MQTT on every node and waits until MQTT with retained messages and persistent
// sessions (which live in JetStream) works through each node. The nodes
// are stopped when the test ends.
func StartNATSCluster(t testing.TB, n int) []*NATSNode {
	t.Helper()
	routes := make([]int, n)
	for i := range routes {
		routes[i] = FreePort(t)
	}
	var routeURLs []string
	for _, p := range routes {
		routeURLs = append(routeURLs, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	nodes := make([]*NATSNode, n)
	for i := range nodes {
		nodes[i] = newNATSNode(t, fmt.Sprintf("n%d", i+1), routes[i], routeURLs)
	}
	for _, node := range nodes {
		node.Start()
	}
	for _, node := range nodes {
		node.WaitReady()
	}
	return nodes
}

func newNATSNode(t testing.TB, name string, routePort int, routes []string) *NATSNode {
	t.Helper()
	dir := t.TempDir()
	node := &NATSNode{Name: name, MQTTPort: FreePort(t), HTTPPort: FreePort(t), t: t, conf: filepath.Join(dir, "nats.conf"),
		d: newDaemon(t, "nats-"+name, dir)}
	conf := fmt.Sprintf("server_name: %s\nlisten: 127.0.0.1:%d\nhttp: 127.0.0.1:%d\njetstream { store_dir: %q }\nmqtt { listen: 127.0.0.1:%d }\n",
		name, FreePort(t), node.HTTPPort, filepath.Join(dir, "js"), node.MQTTPort)
	if len(routes) > 1 {
		conf += fmt.Sprintf("cluster { name: drover, listen: 127.0.0.1:%d, routes: [%s] }\n", routePort, strings.Join(routes, ", "))
	}
	if err := os.WriteFile(node.conf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return node
}

// URL is the node's MQTT tcp:// URL.
func (n *NATSNode) URL() string { return fmt.Sprintf("tcp://127.0.0.1:%d", n.MQTTPort) }

// Start starts the node (again, after Kill) without waiting.
func (n *NATSNode) Start() {
	n.t.Helper()
	n.d.start(Need(n.t, "nats-server"), "-c", n.conf)
}

// Kill ends the node with SIGKILL, as a crash or a power cut would.
func (n *NATSNode) Kill() { n.d.kill() }

// WaitReady waits until a persistent MQTT session can subscribe and
// publish a retained QoS 1 message through the node: JetStream has a
// leader and the MQTT streams exist.
func (n *NATSNode) WaitReady() {
	n.t.Helper()
	WaitDial(n.t, fmt.Sprintf("127.0.0.1:%d", n.MQTTPort), StopTimeout)
	Eventually(n.t, StopTimeout, "NATS node "+n.Name+" serves MQTT", func() (bool, string) {
		err := n.probe()
		return err == nil, fmt.Sprint(err)
	})
}

func (n *NATSNode) probe() error {
	o := paho.NewClientOptions().AddBroker(n.URL()).SetClientID("ready-" + n.Name).
		SetCleanSession(false).SetConnectTimeout(5 * time.Second)
	c := paho.NewClient(o)
	if err := wait(c.Connect()); err != nil {
		return err
	}
	defer c.Disconnect(100)
	if err := wait(c.Subscribe("ready/"+n.Name, 1, nil)); err != nil {
		return err
	}
	return wait(c.Publish("ready/"+n.Name, 1, true, "ok"))
}

func wait(tok paho.Token) error {
	if !tok.WaitTimeout(10 * time.Second) {
		return fmt.Errorf("no answer in 10s")
	}
	return tok.Error()
}

// Leaders returns the JetStream leaderships the node sees: the meta
// leader's name under "meta", and each stream's leader by stream name.
func (n *NATSNode) Leaders() (map[string]string, error) {
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/jsz?accounts=true&streams=true", n.HTTPPort))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var jsz struct {
		Meta struct {
			Leader string `json:"leader"`
		} `json:"meta_cluster"`
		Accounts []struct {
			Streams []struct {
				Name    string `json:"name"`
				Cluster struct {
					Leader string `json:"leader"`
				} `json:"cluster"`
			} `json:"stream_detail"`
		} `json:"account_details"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&jsz); err != nil {
		return nil, err
	}
	leaders := map[string]string{"meta": jsz.Meta.Leader}
	for _, a := range jsz.Accounts {
		for _, s := range a.Streams {
			leaders[s.Name] = s.Cluster.Leader
		}
	}
	return leaders, nil
}

// LeastLeading returns the node of the cluster that leads the fewest
// JetStream assets (meta and MQTT streams), as the cluster sees them now:
// killing it tests a client's failover, not the cluster's elections.
func LeastLeading(t testing.TB, nodes []*NATSNode) *NATSNode {
	t.Helper()
	count := map[string]int{}
	for _, n := range nodes {
		leaders, err := n.Leaders()
		if err != nil {
			t.Fatalf("NATS %s monitoring: %v", n.Name, err)
		}
		for asset, leader := range leaders {
			count[asset+"@"+leader] = 1
		}
	}
	best, fewest := nodes[0], -1
	for _, n := range nodes {
		led := 0
		for key := range count {
			if strings.HasSuffix(key, "@"+n.Name) {
				led++
			}
		}
		if fewest < 0 || led < fewest {
			best, fewest = n, led
		}
	}
	t.Logf("NATS %s leads %d JetStream assets, the fewest", best.Name, fewest)
	return best
}
