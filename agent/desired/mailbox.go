package desired

import "sync"

// Mailbox keeps the latest payload received on each group topic until the
// converger takes them; Put never blocks, so the MQTT link never waits on
// a converger busy waiting for a service to boot.
type Mailbox struct {
	notify chan struct{}

	mu     sync.Mutex
	latest map[string][]byte
}

// NewMailbox returns an empty mailbox.
func NewMailbox() *Mailbox {
	return &Mailbox{notify: make(chan struct{}, 1), latest: map[string][]byte{}}
}

// Put stores payload as the latest of group name (an empty payload: the
// group was deleted).
func (m *Mailbox) Put(name string, payload []byte) {
	m.mu.Lock()
	m.latest[name] = payload
	m.mu.Unlock()
	select {
	case m.notify <- struct{}{}:
	default:
	}
}

// take returns and clears what was put since the last take.
func (m *Mailbox) take() map[string][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.latest
	m.latest = map[string][]byte{}
	return out
}
