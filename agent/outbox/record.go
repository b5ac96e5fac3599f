package outbox

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"time"
	"unicode/utf8"
)

// Class tells the outbox how to treat a record when it is over its bounds.
type Class string

// Record classes. Stable strings: they are written to disk.
const (
	// ClassTelemetry records are dropped first, oldest first.
	ClassTelemetry Class = "telemetry"
	// ClassReply records are kept in preference to telemetry.
	ClassReply Class = "reply"
	// ClassLatest records (retained state) keep only the newest per topic.
	ClassLatest Class = "latest"
)

// recordVersion is the version byte of the encoding.
const recordVersion = 1

// headerLen is version (1) + CRC-32C (4) + flags (1) + created (8) + expires (8).
const headerLen = 1 + 4 + 1 + 8 + 8

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Record is one outbound message kept until its PUBACK.
type Record struct {
	// ID orders records; Append assigns it. It is the store key, not encoded.
	ID       uint64
	Topic    string
	Payload  []byte
	QoS      byte
	Retained bool
	Class    Class
	// Created is when the record was appended.
	Created time.Time
	// Expires, when set, is when the record stops being worth sending (a
	// reply to a request that expires).
	Expires time.Time
}

// Size is what a record counts against Options.MaxBytes.
func (r Record) Size() int64 {
	return int64(headerLen + 2*binary.MaxVarintLen64 + len(r.Class) + len(r.Topic) + len(r.Payload))
}

// encode returns r's bytes: version, CRC-32C of the rest, flags (QoS in
// bits 0-1, retained in bit 2), created and expires as Unix nanoseconds
// (0: none), then class and topic each prefixed by a uvarint length, then
// the payload.
func (r *Record) encode() []byte {
	b := make([]byte, headerLen, int(r.Size()))
	b[0] = recordVersion
	b[5] = r.QoS & 3
	if r.Retained {
		b[5] |= 4
	}
	binary.BigEndian.PutUint64(b[6:], uint64(unixNano(r.Created)))
	binary.BigEndian.PutUint64(b[14:], uint64(unixNano(r.Expires)))
	b = binary.AppendUvarint(b, uint64(len(r.Class)))
	b = append(b, r.Class...)
	b = binary.AppendUvarint(b, uint64(len(r.Topic)))
	b = append(b, r.Topic...)
	b = append(b, r.Payload...)
	binary.BigEndian.PutUint32(b[1:], crc32.Checksum(b[5:], castagnoli))
	return b
}

// decode parses bytes made by encode. Any damage is an error wrapping
// ErrCorrupt; it never panics.
func decode(b []byte) (Record, error) {
	if len(b) < headerLen {
		return Record{}, fmt.Errorf("%w: %d bytes, header needs %d", ErrCorrupt, len(b), headerLen)
	}
	if b[0] != recordVersion {
		return Record{}, fmt.Errorf("%w: version %d", ErrCorrupt, b[0])
	}
	if binary.BigEndian.Uint32(b[1:]) != crc32.Checksum(b[5:], castagnoli) {
		return Record{}, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	r := Record{QoS: b[5] & 3, Retained: b[5]&4 != 0,
		Created: fromNano(int64(binary.BigEndian.Uint64(b[6:]))), Expires: fromNano(int64(binary.BigEndian.Uint64(b[14:])))}
	rest := b[headerLen:]
	class, rest, err := field(rest, "class")
	if err != nil {
		return Record{}, err
	}
	topic, rest, err := field(rest, "topic")
	if err != nil {
		return Record{}, err
	}
	r.Class, r.Topic, r.Payload = Class(class), string(topic), append([]byte(nil), rest...)
	return r, r.check()
}

// field reads one uvarint-prefixed field.
func field(b []byte, name string) (val, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, fmt.Errorf("%w: bad %s length", ErrCorrupt, name)
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}

// check validates the decoded fields.
func (r *Record) check() error {
	switch {
	case r.Class != ClassTelemetry && r.Class != ClassReply && r.Class != ClassLatest:
		return fmt.Errorf("%w: unknown class %q", ErrCorrupt, r.Class)
	case r.Topic == "" || !utf8.ValidString(r.Topic):
		return fmt.Errorf("%w: bad topic", ErrCorrupt)
	case r.QoS > 2:
		return fmt.Errorf("%w: qos %d", ErrCorrupt, r.QoS)
	}
	return nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
