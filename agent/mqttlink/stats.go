package mqttlink

import (
	"sync/atomic"

	"github.com/drover-iot/drover/agent/outbox"
)

// counters are the link's monotonic counters.
type counters struct {
	connects     atomic.Uint64
	reconnects   atomic.Uint64
	received     atomic.Uint64
	sent         atomic.Uint64
	dropped      atomic.Uint64
	inboxDropped atomic.Uint64
}

// Stats is a snapshot of the link's state and counters, read by the
// metrics collector at scrape time.
type Stats struct {
	Connected bool
	// Broker is the URL of the broker of the current connection, if any.
	Broker string
	// Connects counts successful connections; Reconnects those after the first.
	Connects   uint64
	Reconnects uint64
	// Received counts messages received; InboxDropped those lost to a full inbox.
	Received     uint64
	InboxDropped uint64
	// Sent counts messages handed to the broker connection.
	Sent uint64
	// Dropped counts outbound messages lost to a full queue or while offline.
	Dropped uint64
	// Queued is the number of messages waiting: outbox records and QoS 0.
	Queued int
	// Outbox is a snapshot of the outbox.
	Outbox outbox.Stats
}

// Stats returns a snapshot of the link's counters.
func (l *Link) Stats() Stats {
	l.mu.Lock()
	queued := l.q.len()
	l.mu.Unlock()
	ob := l.cfg.Outbox.Stats()
	return Stats{
		Outbox:       ob,
		Connected:    l.online.Load(),
		Broker:       l.Broker(),
		Connects:     l.ctr.connects.Load(),
		Reconnects:   l.ctr.reconnects.Load(),
		Received:     l.ctr.received.Load(),
		InboxDropped: l.ctr.inboxDropped.Load(),
		Sent:         l.ctr.sent.Load(),
		Dropped:      l.ctr.dropped.Load(),
		Queued:       queued + ob.Records,
	}
}
