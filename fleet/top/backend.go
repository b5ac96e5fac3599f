package top

import (
	"context"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/drover-iot/drover/fleet"
)

// Client is what top needs of the fleet client (*client.Client).
type Client interface {
	Watch(ctx context.Context, fn func([]fleet.Event)) error
	Follow(ctx context.Context, dev string, args fleet.FollowArgs, fn func(fleet.LogRecord)) error
	Request(ctx context.Context, dev, cmd string, args any) (fleet.Reply, error)
}

// Journal follows: the recent records shown first and the lease asked for.
const (
	recentRecords = 50
	followTTL     = 30
)

// clientBackend is the Backend over a fleet client: requests within
// timeout, journal follows until stopped or ctx ends, messages to send.
type clientBackend struct {
	ctx     context.Context
	c       Client
	send    func(tea.Msg)
	timeout time.Duration
	wg      sync.WaitGroup
}

var _ Backend = (*clientBackend)(nil)

// Request sends cmd to dev and waits for the reply within the timeout.
func (b *clientBackend) Request(dev, cmd string, args any) error {
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	_, err := b.c.Request(ctx, dev, cmd, args)
	return err
}

// Follow sends dev's recent journal records, then follows new ones.
func (b *clientBackend) Follow(dev string) func() {
	ctx, cancel := context.WithCancel(b.ctx)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		b.follow(ctx, dev)
	}()
	return cancel
}

func (b *clientBackend) follow(ctx context.Context, dev string) {
	b.recent(ctx, dev)
	err := b.c.Follow(ctx, dev, fleet.FollowArgs{TTLSeconds: followTTL}, func(r fleet.LogRecord) {
		b.send(LogMsg{Device: dev, Records: []fleet.LogRecord{r}})
	})
	if err != nil && ctx.Err() == nil {
		b.send(LogMsg{Device: dev, Err: err})
	}
}

func (b *clientBackend) recent(ctx context.Context, dev string) {
	rctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	var res fleet.LogsResult
	r, err := b.c.Request(rctx, dev, fleet.CmdLogs, fleet.LogsArgs{N: recentRecords})
	if err == nil {
		err = r.Decode(&res)
	}
	if ctx.Err() != nil {
		return
	}
	b.send(LogMsg{Device: dev, Records: res.Records, Err: err})
}

// wait waits for the follows to end after ctx ended.
func (b *clientBackend) wait() { b.wg.Wait() }
