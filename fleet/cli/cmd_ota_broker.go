package cli

import (
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/rollout"
	"github.com/drover-iot/drover/ota/transfer"
)

// publishTimeout bounds each acknowledgement while publishing an artifact
// (the whole publish may take much longer than --timeout).
const publishTimeout = 30 * time.Second

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
		arts, err := a.retainedArtifacts(ctx, artifact)
		if err != nil {
			return err
		}
		if artifact != "" && len(arts) == 0 {
			return fmt.Errorf("no retained manifest for artifact %q", artifact)
		}
		return a.withPublisher(ctx, func(ctx context.Context, pub transfer.Publisher) error {
			for _, name := range slices.Sorted(maps.Keys(arts)) {
				art := arts[name]
				if artifact == "" && !a.finished(name, art.expires()) {
					continue
				}
				if err := a.clearArtifact(ctx, pub, name, art); err != nil {
					return err
				}
				fmt.Fprintf(a.opts.Stdout, "cleared %s (%s build %d)\n", name, art.version(), art.build())
			}
			return nil
		})
	})
	return cmd
}

// finished reports an artifact whose manifests expired or whose rollout ended.
func (a *app) finished(artifact string, expires time.Time) bool {
	if !expires.IsZero() && a.opts.Clock.Now().After(expires) {
		return true
	}
	r, err := rollout.Open(a.rolloutPath(artifact), nil, nil, rollout.Options{})
	if err != nil {
		return false
	}
	p := r.Record().Phase
	return p == rollout.Done || p == rollout.Aborted
}
