package outbox

import (
	"errors"
	"testing"
	"time"
)

func TestRecordRoundTrip(t *testing.T) {
	created := time.Date(2026, 12, 5, 10, 0, 0, 123, time.UTC)
	cases := []Record{
		{Topic: "drover/pi/telemetry", Payload: []byte(`{"seq":1}`), QoS: 1, Class: ClassTelemetry, Created: created},
		{Topic: "drover/pi/reply/me", Payload: nil, QoS: 1, Class: ClassReply, Created: created, Expires: created.Add(time.Minute)},
		{Topic: "drover/pi/status", Payload: []byte("x"), QoS: 1, Retained: true, Class: ClassLatest},
	}
	for _, want := range cases {
		t.Run(want.Topic, func(t *testing.T) {
			got, err := decode(want.encode())
			if err != nil {
				t.Fatal(err)
			}
			if got.Topic != want.Topic || string(got.Payload) != string(want.Payload) || got.QoS != want.QoS ||
				got.Retained != want.Retained || got.Class != want.Class || !got.Created.Equal(want.Created) ||
				!got.Expires.Equal(want.Expires) {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestDecodeRejectsDamage(t *testing.T) {
	good := (&Record{Topic: "a/b", Payload: []byte("hello"), QoS: 1, Class: ClassReply}).encode()
	flip := append([]byte(nil), good...)
	flip[len(flip)-1] ^= 0x40
	version := append([]byte(nil), good...)
	version[0] = 9
	cases := map[string][]byte{
		"empty": nil, "short": good[:headerLen-1], "truncated": good[:len(good)-2],
		"bit flip": flip, "version": version,
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := decode(b); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("decode: got %v, want ErrCorrupt", err)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add((&Record{Topic: "drover/pi/telemetry", Payload: []byte(`{"seq":1}`), QoS: 1, Class: ClassTelemetry}).encode())
	f.Add((&Record{Topic: "t", Class: ClassLatest, Retained: true, Expires: time.Unix(5, 0)}).encode())
	f.Add([]byte{1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decode(b)
		if err != nil {
			return
		}
		again, err := decode(r.encode())
		if err != nil {
			t.Fatalf("re-decode of a decoded record: %v", err)
		}
		if again.Topic != r.Topic || string(again.Payload) != string(r.Payload) || again.Class != r.Class {
			t.Fatalf("round trip changed the record: %+v vs %+v", again, r)
		}
	})
}
