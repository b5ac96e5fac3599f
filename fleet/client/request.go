package client

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet"
)

// progressBuffer is how many progress reports wait for a slow consumer
// before newer ones are dropped.
const progressBuffer = 16

type pendingRequest struct {
	dev      string           // the device asked; replies from others are ignored
	progress chan fleet.Reply // progress reports, dropped when full
	final    chan fleet.Reply // capacity 1: the first final reply
}

// ProgressFunc receives the progress reports of a long command.
type ProgressFunc func(fleet.Reply)

// Request sends cmd with args (any JSON-encodable value, or nil) to device
// dev and waits for the final reply until ctx ends. The request's exp is set
// from ctx's deadline. A device's failure is returned as the reply and an
// *fleet.Error; the end of ctx gives an error wrapping ErrTimeout.
func (c *Client) Request(ctx context.Context, dev, cmd string, args any) (fleet.Reply, error) {
	return c.RequestProgress(ctx, dev, cmd, args, nil)
}

// RequestProgress is Request that also passes progress reports to onProgress
// (which may be nil), in the calling goroutine.
func (c *Client) RequestProgress(ctx context.Context, dev, cmd string, args any, onProgress ProgressFunc) (fleet.Reply, error) {
	req, err := c.newRequest(ctx, dev, cmd, args)
	if err != nil {
		return fleet.Reply{}, err
	}
	p := &pendingRequest{dev: dev, progress: make(chan fleet.Reply, progressBuffer), final: make(chan fleet.Reply, 1)}
	c.mu.Lock()
	c.pending[req.ID] = p
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, req.ID)
		c.mu.Unlock()
	}()
	if err := c.publishJSON(ctx, c.topics.Cmd(dev), 1, req); err != nil {
		return fleet.Reply{}, fmt.Errorf("%s %s: %w", dev, cmd, err)
	}
	return c.await(ctx, dev, req, p, onProgress)
}

func (c *Client) newRequest(ctx context.Context, dev, cmd string, args any) (fleet.Request, error) {
	if err := fleet.ValidDeviceID(dev); err != nil {
		return fleet.Request{}, err
	}
	req := fleet.Request{V: fleet.Version, ID: rand.Text(), Cmd: cmd, From: c.opts.ClientID}
	if args != nil {
		raw, err := json.Marshal(args)
		if err != nil {
			return fleet.Request{}, fmt.Errorf("fleet: encode args of %s: %w", cmd, err)
		}
		req.Args = raw
	}
	if deadline, ok := ctx.Deadline(); ok {
		exp := deadline.UTC()
		req.Exp = &exp
	}
	if c.opts.Signer != nil {
		c.sign(dev, &req)
	}
	return req, nil
}

// SignedValidity is the longest exp a signed request is given: half the
// most a device accepts, leaving room for clocks that disagree.
const SignedValidity = fleet.MaxSignedValidity / 2

// sign signs req for dev, bounding its exp to SignedValidity from now.
func (c *Client) sign(dev string, req *fleet.Request) {
	limit := c.clock.Now().Add(SignedValidity).UTC()
	if req.Exp == nil || req.Exp.After(limit) {
		req.Exp = &limit
	}
	fleet.SignRequest(c.opts.Signer, dev, req)
}

func (c *Client) await(ctx context.Context, dev string, req fleet.Request, p *pendingRequest, onProgress ProgressFunc) (fleet.Reply, error) {
	for {
		select {
		case r := <-p.final:
			drainProgress(p, onProgress) // queued before the final reply: not lost to select's choice
			return r, r.Err()
		case r := <-p.progress:
			if onProgress != nil {
				onProgress(r)
			}
		case <-ctx.Done():
			return fleet.Reply{}, fmt.Errorf("%w: %s %s: %w", ErrTimeout, dev, req.Cmd, ctx.Err())
		}
	}
}

// drainProgress passes on the progress reports already queued.
func drainProgress(p *pendingRequest, onProgress ProgressFunc) {
	for {
		select {
		case r := <-p.progress:
			if onProgress != nil {
				onProgress(r)
			}
		default:
			return
		}
	}
}

// publishJSON encodes v and publishes it, waiting for the token until ctx ends.
func (c *Client) publishJSON(ctx context.Context, topic string, qos byte, v any) error {
	payload, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("fleet: encode %s: %w", topic, err)
	}
	if err := waitToken(ctx, c.mqtt.Publish(topic, qos, false, payload)); err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("%w: publish to %s: %w", ErrTimeout, topic, err)
		}
		return fmt.Errorf("%w: publish to %s: %w", ErrUnreachable, topic, err)
	}
	return nil
}

// onReply hands a reply to its waiting request without blocking. Only a
// reply on the reply topic of the device that was asked counts, so another
// device cannot answer in its place.
func (c *Client) onReply(_ paho.Client, msg paho.Message) {
	r, err := fleet.DecodeReply(msg.Payload())
	if err != nil {
		c.log.Warn("ignoring malformed reply", "topic", msg.Topic(), "err", err)
		return
	}
	c.mu.Lock()
	p := c.pending[r.ID]
	c.mu.Unlock()
	if p == nil {
		c.log.Debug("reply to no pending request", "topic", msg.Topic(), "id", r.ID)
		return
	}
	if t, err := c.topics.Parse(msg.Topic()); err != nil || t.Device != p.dev {
		c.log.Warn("ignoring reply from a device that was not asked", "topic", msg.Topic(), "id", r.ID, "device", p.dev)
		return
	}
	ch := p.progress
	if r.IsFinal() {
		ch = p.final
	}
	select {
	case ch <- r:
	default:
		c.log.Debug("dropping reply, consumer is behind", "id", r.ID, "final", r.IsFinal())
	}
}

// Result is one device's outcome of FanOut.
type Result struct {
	Device string
	Reply  fleet.Reply
	// Err is the transport error or the device's *fleet.Error.
	Err error
	// RTT is the time from sending the request to the final reply.
	RTT time.Duration
}

// RequestFunc sends one request to dev and waits for its final reply.
type RequestFunc func(ctx context.Context, dev string) (fleet.Reply, error)

// FanOut sends the same request to every device concurrently (at most
// Options.Concurrency at a time) and returns one Result per device, in
// the order of devs.
func (c *Client) FanOut(ctx context.Context, devs []string, cmd string, args any) []Result {
	return c.FanOutFunc(ctx, devs, func(ctx context.Context, dev string) (fleet.Reply, error) {
		return c.Request(ctx, dev, cmd, args)
	})
}

// FanOutFunc calls req for every device concurrently (at most
// Options.Concurrency at a time) and returns one Result per device, in
// the order of devs, each RTT timed on the client's clock. It lets a caller
// wrap Request (for example to give up early on unknown devices).
func (c *Client) FanOutFunc(ctx context.Context, devs []string, req RequestFunc) []Result {
	results := make([]Result, len(devs))
	sem := make(chan struct{}, c.opts.Concurrency)
	var wg sync.WaitGroup
	for i, dev := range devs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			start := c.clock.Now()
			r, err := req(ctx, dev)
			results[i] = Result{Device: dev, Reply: r, Err: err, RTT: c.clock.Since(start)}
		}()
	}
	wg.Wait()
	return results
}
