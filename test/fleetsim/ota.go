package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/sign"
	"github.com/drover-iot/drover/ota/transfer"
)

// otaOptions are the simulator's OTA fetch flags.
type otaOptions struct {
	artifact string // fetch this artifact once every device is online ("" for none)
	key      string // the trusted public key file (minisign .pub)
	base     string // the devices' "running binary": the delta is fetched when it is the delta's base
	parallel int    // devices fetching at once
}

// otaResult sums up the fetches.
type otaResult struct {
	devices int
	kind    transfer.Kind
	payload int64 // blob bytes per device
	wire    int64 // bytes the devices received from the broker, on their OTA connections
	elapsed time.Duration
}

func (r otaResult) String() string {
	return fmt.Sprintf("ota fetched %d %s x %d bytes: %d bytes from the broker (%.4f x payload, %.0f per device) in %v",
		r.devices, r.kind, r.payload, r.wire, float64(r.wire)/float64(r.payload*int64(r.devices)),
		float64(r.wire)/float64(r.devices), r.elapsed.Round(time.Millisecond))
}

// fetchAll has every device fetch the artifact through the agent's
// Fetcher, each on its own MQTT connection (as the agent's OTA download
// has), at most parallel at once, and counts the bytes they received.
func fetchAll(ctx context.Context, o otaOptions, brokers []string, ids []string, dir string) (otaResult, error) {
	m, topics, err := verifiedManifest(ctx, o, brokers[0])
	if err != nil {
		return otaResult{}, err
	}
	kind, blob, err := choose(o, m)
	if err != nil {
		return otaResult{}, err
	}
	var wire atomic.Int64
	start := time.Now()
	errs := make(chan error, len(ids))
	sem := make(chan struct{}, max(o.parallel, 1))
	var wg sync.WaitGroup
	for _, id := range ids {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs <- fetchOne(ctx, topics, brokers, id, kind, blob, filepath.Join(dir, id+".ota"), &wire)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return otaResult{}, err
		}
	}
	return otaResult{devices: len(ids), kind: kind, payload: blob.Size, wire: wire.Load(), elapsed: time.Since(start)}, nil
}

// choose picks the delta when the base file is its base, as the agent does
// with its running binary.
func choose(o otaOptions, m manifest.Manifest) (transfer.Kind, manifest.Blob, error) {
	if o.base == "" || m.Delta == nil {
		return transfer.KindFull, m.Blob, nil
	}
	sum, err := manifest.FileSHA256(o.base)
	if err != nil {
		return "", manifest.Blob{}, err
	}
	if sum != m.Delta.BaseSHA256 {
		return transfer.KindFull, m.Blob, nil
	}
	return transfer.KindDelta, m.Delta.Blob, nil
}

// fetchOne downloads the blob for one device into path, then removes it.
func fetchOne(ctx context.Context, topics transfer.Topics, brokers []string, id string, kind transfer.Kind, blob manifest.Blob, path string, wire *atomic.Int64) error {
	c, err := dial(ctx, brokers, "drover-"+id+"-ota", wire)
	if err != nil {
		return err
	}
	defer c.Disconnect(250)
	defer os.Remove(path)
	defer os.Remove(transfer.ProgressPath(path))
	f := transfer.NewFetcher(transfer.Paho{Client: c, Timeout: time.Minute}, transfer.FetchOptions{})
	if err := f.Fetch(ctx, topics, kind, blob, path); err != nil {
		return fmt.Errorf("%s: fetch: %w", id, err)
	}
	return nil
}

// verifiedManifest reads the artifact's retained entry and verifies it
// with the key; an index of a multi-platform artifact leads, as on an
// agent, to the manifest of this machine's platform, whose topics are
// returned.
func verifiedManifest(ctx context.Context, o otaOptions, broker string) (manifest.Manifest, transfer.Topics, error) {
	t := transfer.Topics{Artifact: o.artifact}
	pub, err := os.ReadFile(o.key)
	if err != nil {
		return manifest.Manifest{}, t, fmt.Errorf("-ota-key: %w", err)
	}
	keys, err := sign.NewKeyring(string(pub))
	if err != nil {
		return manifest.Manifest{}, t, fmt.Errorf("-ota-key: %w", err)
	}
	var none atomic.Int64
	c, err := dial(ctx, []string{broker}, fmt.Sprintf("fleetsim-%d", os.Getpid()), &none)
	if err != nil {
		return manifest.Manifest{}, t, err
	}
	defer c.Disconnect(250)
	env, err := retained(ctx, c, t.Manifest())
	if err != nil {
		return manifest.Manifest{}, t, err
	}
	if signed, err := manifest.Open(env, keys); err == nil && manifest.IsIndex(signed) {
		ix, err := manifest.ParseIndex(signed)
		if err != nil {
			return manifest.Manifest{}, t, err
		}
		if err := ix.Check(runtime.GOOS, runtime.GOARCH); err != nil {
			return manifest.Manifest{}, t, err
		}
		t = t.ForPlatform(runtime.GOOS, runtime.GOARCH)
		if env, err = retained(ctx, c, t.Manifest()); err != nil {
			return manifest.Manifest{}, t, err
		}
	}
	m, err := manifest.Verify(env, keys, time.Now())
	return m, t, err
}

// retained waits for the retained payload of topic.
func retained(ctx context.Context, c paho.Client, topic string) ([]byte, error) {
	got := make(chan []byte, 1)
	tok := c.Subscribe(topic, 1, func(_ paho.Client, m paho.Message) {
		select {
		case got <- m.Payload():
		default:
		}
	})
	if !tok.WaitTimeout(30*time.Second) || tok.Error() != nil {
		return nil, fmt.Errorf("subscribe %s: %v", topic, tok.Error())
	}
	defer c.Unsubscribe(topic)
	select {
	case env := <-got:
		return env, nil
	case <-time.After(30 * time.Second):
		return nil, fmt.Errorf("no retained message on %s", topic)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// dial connects a paho client whose connection counts the bytes it reads.
func dial(ctx context.Context, brokers []string, clientID string, read *atomic.Int64) (paho.Client, error) {
	po := paho.NewClientOptions().SetClientID(clientID).SetCleanSession(true).SetAutoReconnect(true).
		SetCustomOpenConnectionFn(func(u *url.URL, _ paho.ClientOptions) (net.Conn, error) {
			conn, err := (&net.Dialer{Timeout: 30 * time.Second}).DialContext(ctx, "tcp", u.Host)
			return countingConn{Conn: conn, read: read}, err
		})
	for _, b := range brokers {
		po.AddBroker(strings.TrimSpace(b))
	}
	c := paho.NewClient(po)
	tok := c.Connect()
	if !tok.WaitTimeout(60*time.Second) || tok.Error() != nil {
		return nil, fmt.Errorf("%s: connect: %v", clientID, tok.Error())
	}
	return c, nil
}

// countingConn adds the bytes read from the broker to read.
type countingConn struct {
	net.Conn
	read *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}
