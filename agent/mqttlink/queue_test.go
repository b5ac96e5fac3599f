package mqttlink

import (
	"fmt"
	"slices"
	"testing"
)

func msg(class Class, topic string, n int) Message {
	return Message{Topic: topic, Class: class, Payload: fmt.Appendf(nil, "%d", n), QoS: 1}
}

func payloads(q *queue) []string {
	var out []string
	for _, m := range q.items {
		out = append(out, m.Topic+"="+string(m.Payload))
	}
	return out
}

func TestQueuePush(t *testing.T) {
	tests := []struct {
		name    string
		limit   int
		pushes  []Message
		want    []string
		results []outcome
	}{
		{"in order under the limit", 3,
			[]Message{msg(ClassTelemetry, "t", 1), msg(ClassReply, "r", 2)},
			[]string{"t=1", "r=2"}, []outcome{queued, queued}},
		{"full: oldest telemetry evicted, replies kept", 3,
			[]Message{msg(ClassReply, "r", 1), msg(ClassTelemetry, "t", 2), msg(ClassTelemetry, "t", 3), msg(ClassReply, "r", 4)},
			[]string{"r=1", "t=3", "r=4"}, []outcome{queued, queued, queued, evicted}},
		{"full of replies: new telemetry rejected", 2,
			[]Message{msg(ClassReply, "r", 1), msg(ClassReply, "r", 2), msg(ClassTelemetry, "t", 3)},
			[]string{"r=1", "r=2"}, []outcome{queued, queued, rejected}},
		{"full of replies: new reply evicts the oldest", 2,
			[]Message{msg(ClassReply, "r", 1), msg(ClassReply, "r", 2), msg(ClassReply, "r", 3)},
			[]string{"r=2", "r=3"}, []outcome{queued, queued, evicted}},
		{"latest replaces its topic in place", 3,
			[]Message{msg(ClassLatest, "s", 1), msg(ClassReply, "r", 2), msg(ClassLatest, "s", 3), msg(ClassLatest, "o", 4)},
			[]string{"s=3", "r=2", "o=4"}, []outcome{queued, queued, replaced, queued}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQueue(tt.limit)
			var got []outcome
			for _, m := range tt.pushes {
				res, _ := q.push(m)
				got = append(got, res)
			}
			if !slices.Equal(payloads(q), tt.want) {
				t.Errorf("queue = %v, want %v", payloads(q), tt.want)
			}
			if !slices.Equal(got, tt.results) {
				t.Errorf("outcomes = %v, want %v", got, tt.results)
			}
		})
	}
}

func TestQueuePopUnshift(t *testing.T) {
	q := newQueue(2)
	q.push(msg(ClassReply, "a", 1))
	q.push(msg(ClassReply, "b", 2))
	m, _ := q.front()
	q.pop()
	q.unshift(m)
	if got := payloads(q); !slices.Equal(got, []string{"a=1", "b=2"}) {
		t.Errorf("after pop+unshift: %v", got)
	}
	q.pop()
	q.pop()
	q.pop() // empty: no-op
	if _, ok := q.front(); ok || q.len() != 0 {
		t.Error("queue not empty")
	}
}
