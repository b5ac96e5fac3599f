package mqttlink

import (
	"time"

	"github.com/drover-iot/drover/agent/outbox"
)

// Class tells the outbox how to treat a message when it is full.
type Class = outbox.Class

// Message classes. Stable strings, used in logs and on disk.
const (
	// ClassTelemetry messages are dropped first, oldest first.
	ClassTelemetry = outbox.ClassTelemetry
	// ClassReply messages are kept in preference to telemetry.
	ClassReply = outbox.ClassReply
	// ClassLatest messages (retained status) keep only the newest per topic.
	ClassLatest = outbox.ClassLatest
)

// Message is one MQTT message, outbound or inbound.
type Message struct {
	Topic    string
	Payload  []byte
	QoS      byte
	Retained bool
	// Class applies to outbound messages only. Default: ClassTelemetry.
	Class Class
	// Expires, when set, is when an outbound QoS 1 message stops being
	// worth sending (a reply to an expiring request): the outbox drops it.
	Expires time.Time

	id uint64 // the outbox record of a QoS 1 message; 0 for QoS 0
}

func (m Message) record() outbox.Record {
	return outbox.Record{Topic: m.Topic, Payload: m.Payload, QoS: m.QoS, Retained: m.Retained, Class: m.Class, Expires: m.Expires}
}

func messageOf(r outbox.Record) Message {
	return Message{Topic: r.Topic, Payload: r.Payload, QoS: r.QoS, Retained: r.Retained, Class: r.Class, Expires: r.Expires, id: r.ID}
}

// queue is the bounded, ordered queue of QoS 0 messages (QoS 1 messages
// go to the outbox). It is not safe for
// concurrent use; Link guards it with its mutex.
type queue struct {
	items []Message
	limit int
}

func newQueue(limit int) *queue { return &queue{limit: limit} }

func (q *queue) len() int { return len(q.items) }

// outcome is what push did with a message.
type outcome int

const (
	queued   outcome = iota // appended
	replaced                // replaced an older ClassLatest message of its topic
	evicted                 // appended after dropping an older message
	rejected                // not queued: the queue is full of preferred messages
)

// push queues m when it can and reports what happened; for evicted and
// rejected, dropped is the message that was lost.
func (q *queue) push(m Message) (res outcome, dropped Message) {
	if m.Class == ClassLatest {
		for i := range q.items {
			if q.items[i].Class == ClassLatest && q.items[i].Topic == m.Topic {
				q.items[i] = m
				return replaced, Message{}
			}
		}
	}
	if len(q.items) < q.limit {
		q.items = append(q.items, m)
		return queued, Message{}
	}
	victim := q.indexOf(ClassTelemetry)
	if victim < 0 && m.Class == ClassTelemetry {
		return rejected, m
	}
	if victim < 0 {
		victim = 0
	}
	dropped = q.items[victim]
	q.items = append(q.items[:victim], q.items[victim+1:]...)
	q.items = append(q.items, m)
	return evicted, dropped
}

// unshift puts m back at the front, past the limit if need be (it was
// already counted in it).
func (q *queue) unshift(m Message) {
	q.items = append([]Message{m}, q.items...)
}

func (q *queue) indexOf(c Class) int {
	for i := range q.items {
		if q.items[i].Class == c {
			return i
		}
	}
	return -1
}

// front returns the oldest message without removing it.
func (q *queue) front() (Message, bool) {
	if len(q.items) == 0 {
		return Message{}, false
	}
	return q.items[0], true
}

// pop removes the oldest message.
func (q *queue) pop() {
	if len(q.items) == 0 {
		return
	}
	q.items[0] = Message{}
	q.items = q.items[1:]
	if len(q.items) == 0 {
		q.items = nil
	}
}
