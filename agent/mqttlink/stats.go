package mqttlink

import "sync/atomic"

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
	// Queued is the current length of the offline queue.
	Queued int
}

// Stats returns a snapshot of the link's counters.
func (l *Link) Stats() Stats {
	l.mu.Lock()
	queued := l.q.len()
	l.mu.Unlock()
	return Stats{
		Connected:    l.online.Load(),
		Broker:       l.Broker(),
		Connects:     l.ctr.connects.Load(),
		Reconnects:   l.ctr.reconnects.Load(),
		Received:     l.ctr.received.Load(),
		InboxDropped: l.ctr.inboxDropped.Load(),
		Sent:         l.ctr.sent.Load(),
		Dropped:      l.ctr.dropped.Load(),
		Queued:       queued,
	}
}
