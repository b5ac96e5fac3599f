package cli

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/rollout"
	"github.com/drover-iot/drover/ota/transfer"
)

// publishTimeout bounds each acknowledgement while publishing an artifact
// (the whole publish may take much longer than --timeout).
const publishTimeout = 30 * time.Second

// retainedSettle ends the collection of retained manifests after this
// long without a new one.
const retainedSettle = 500 * time.Millisecond

// withPublisher connects a plain MQTT client for the artifact topics (the
// fleet client carries requests, not retained artifacts) and calls fn.
func (a *app) withPublisher(ctx context.Context, fn func(context.Context, transfer.Publisher) error) error {
	c, err := a.dialPaho(ctx)
	if err != nil {
		return err
	}
	defer c.Disconnect(250)
	return fn(ctx, transfer.Paho{Client: c, Timeout: publishTimeout})
}

func (a *app) dialPaho(ctx context.Context) (paho.Client, error) {
	mo := a.s.clientOptions().MQTT("fleetctl-ota-" + strings.ToLower(rand.Text()[:10]))
	mo.ConnectTimeout = a.s.Timeout
	po, err := mo.ClientOptions()
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	c := paho.NewClient(po)
	tok := c.Connect()
	select {
	case <-tok.Done():
	case <-ctx.Done():
		c.Disconnect(0)
		return nil, fmt.Errorf("%w: %s: %w", client.ErrUnreachable, strings.Join(a.s.Brokers, " "), ctx.Err())
	}
	if err := tok.Error(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", client.ErrUnreachable, strings.Join(a.s.Brokers, " "), err)
	}
	return c, nil
}

// retainedManifests reads the retained manifests of every artifact (or of
// one), without verifying their signatures, keyed by artifact.
func (a *app) retainedManifests(ctx context.Context, artifact string) (map[string]manifest.Manifest, error) {
	c, err := a.dialPaho(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Disconnect(250)
	if artifact == "" {
		artifact = "+"
	}
	var mu sync.Mutex
	out := map[string]manifest.Manifest{}
	got := make(chan struct{}, 1)
	filter := transfer.Topics{Prefix: a.s.Prefix, Artifact: artifact}.Manifest()
	tok := c.Subscribe(filter, 1, func(_ paho.Client, msg paho.Message) {
		m, err := decodeManifest(msg.Payload())
		if err != nil {
			return // a cleared or foreign payload
		}
		mu.Lock()
		out[m.Artifact] = m
		mu.Unlock()
		select {
		case got <- struct{}{}:
		default:
		}
	})
	if !tok.WaitTimeout(a.s.Timeout) || tok.Error() != nil {
		return nil, fmt.Errorf("%w: subscribe %s: %v", client.ErrUnreachable, filter, tok.Error())
	}
	for settle := time.NewTimer(retainedSettle); ; settle.Reset(retainedSettle) {
		select {
		case <-got:
			continue
		case <-settle.C:
		case <-ctx.Done():
		}
		break
	}
	mu.Lock()
	defer mu.Unlock()
	return out, nil
}

func decodeManifest(payload []byte) (manifest.Manifest, error) {
	env, err := manifest.DecodeEnvelope(payload)
	if err != nil {
		return manifest.Manifest{}, err
	}
	return manifest.Parse(env.Manifest)
}

func (a *app) otaGCCmd() *cobra.Command {
	var artifact string
	cmd := &cobra.Command{
		Use:   "gc [--artifact A]",
		Short: "Clear the retained manifest and chunks of an artifact, or of every finished one",
		Long: "Without --artifact, gc clears the artifacts whose manifest has expired or whose rollout\n" +
			"(in this user's state dir) is done or aborted.",
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVar(&artifact, "artifact", "", "clear this artifact")
	cmd.RunE = run(func(cmd *cobra.Command, _ []string) error {
		ctx, cancel := context.WithTimeout(cmd.Context(), 10*a.s.Timeout)
		defer cancel()
		ms, err := a.retainedManifests(ctx, artifact)
		if err != nil {
			return err
		}
		if artifact != "" && len(ms) == 0 {
			return fmt.Errorf("no retained manifest for artifact %q", artifact)
		}
		return a.withPublisher(ctx, func(ctx context.Context, pub transfer.Publisher) error {
			for name, m := range ms {
				if artifact == "" && !a.finished(m) {
					continue
				}
				if err := transfer.GC(ctx, pub, transfer.Topics{Prefix: a.s.Prefix, Artifact: name}, m, true); err != nil {
					return err
				}
				fmt.Fprintf(a.opts.Stdout, "cleared %s (%s build %d)\n", name, m.Version, m.Build)
			}
			return nil
		})
	})
	return cmd
}

// finished reports an artifact whose manifest expired or whose rollout ended.
func (a *app) finished(m manifest.Manifest) bool {
	if !m.ExpiresAt.IsZero() && a.opts.Clock.Now().After(m.ExpiresAt) {
		return true
	}
	r, err := rollout.Open(a.rolloutPath(m.Artifact), nil, nil, rollout.Options{})
	if err != nil {
		return false
	}
	p := r.Record().Phase
	return p == rollout.Done || p == rollout.Aborted
}
