package journal

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// TruncMarker ends a message or attribute text that did not fit in its slot.
const TruncMarker = "…"

// MaxSourceLen is the longest source kept; longer sources are cut.
const MaxSourceLen = 64

// slot is the fixed header of one record; its text lives in the ring's
// arena at [i*size, (i+1)*size) laid out as source | msg | ' ' attrs.
type slot struct {
	seq      uint64
	unixNano int64
	level    slog.Level
	srcLen   uint16
	msgLen   uint16
	n        uint16
	trunc    bool
}

// ring is the bounded store: a fixed array of slots over one byte arena,
// allocated once. One mutex orders writers; readers hold it only while
// they copy a single slot, so a writer never waits longer than one copy.
type ring struct {
	mu    sync.Mutex
	slots []slot
	arena []byte
	size  int
	next  int           // index of the slot the next write uses; guarded by mu
	head  atomic.Uint64 // seq of the newest record, 0 when empty
}

func newRing(records, size int) *ring {
	return &ring{slots: make([]slot, records), arena: make([]byte, records*size), size: size}
}

// text is what a writer stores: either a string or formatted bytes.
type text interface{ ~string | ~[]byte }

// write stores one record and returns its seq and whether it was cut.
func write[M, A text](r *ring, unixNano int64, level slog.Level, src string, msg M, attrs A) (uint64, bool) {
	r.mu.Lock()
	seq := r.head.Load() + 1
	i := r.next
	r.next++
	if r.next == len(r.slots) {
		r.next = 0
	}
	s := &r.slots[i]
	s.seq, s.unixNano, s.level = seq, unixNano, level
	srcLen, msgLen, n, trunc := layout(r.arena[i*r.size:(i+1)*r.size], src, msg, attrs)
	s.srcLen, s.msgLen, s.n, s.trunc = uint16(srcLen), uint16(msgLen), uint16(n), trunc
	r.head.Store(seq)
	r.mu.Unlock()
	return seq, trunc
}

// layout copies src, msg and attrs into dst as source | msg | ' ' attrs,
// cutting at rune boundaries and ending cut text with TruncMarker.
func layout[M, A text](dst []byte, src string, msg M, attrs A) (srcLen, msgLen, n int, trunc bool) {
	srcLen = copy(dst, src[:runeCut(src, min(len(src), MaxSourceLen))])
	trunc = srcLen < len(src)
	body := dst[srcLen:]
	need := len(msg)
	if len(attrs) > 0 {
		need += 1 + len(attrs)
	}
	if need <= len(body) {
		msgLen = copy(body, msg)
		n = msgLen
		if len(attrs) > 0 {
			body[n] = ' '
			n += 1 + copy(body[n+1:], attrs)
		}
		return srcLen, msgLen, srcLen + n, trunc
	}
	budget := len(body) - len(TruncMarker)
	if len(msg)+2 > budget { // no room for a space and one attribute byte
		msgLen = copy(body, msg[:runeCut(msg, min(len(msg), budget))])
		msgLen += copy(body[msgLen:], TruncMarker)
		return srcLen, msgLen, srcLen + msgLen, true
	}
	msgLen = copy(body, msg)
	body[msgLen] = ' '
	n = msgLen + 1
	n += copy(body[n:], attrs[:runeCut(attrs, budget-n)])
	n += copy(body[n:], TruncMarker)
	return srcLen, msgLen, srcLen + n, true
}

// runeCut returns the largest k <= max such that s[:k] does not end in
// the middle of a UTF-8 sequence.
func runeCut[T text](s T, max int) int {
	if max >= len(s) {
		return len(s)
	}
	k := max
	for k > 0 && k > max-utf8.UTFMax && !utf8.RuneStart(s[k]) {
		k--
	}
	return k
}

// view is a reader's private copy of one slot.
type view struct {
	slot
	buf []byte
}

func (v *view) source() []byte { return v.buf[:v.srcLen] }
func (v *view) body() []byte   { return v.buf[v.srcLen:v.n] }
func (v *view) msg() []byte    { return v.buf[v.srcLen : v.srcLen+v.msgLen] }

// attrs returns the attribute text, after the space that follows msg.
func (v *view) attrs() []byte {
	if start := v.srcLen + v.msgLen + 1; start <= v.n {
		return v.buf[start:v.n]
	}
	return nil
}

// read copies the record with the given seq into v. It reports false when
// that record has been overwritten or not written yet.
func (r *ring) read(seq uint64, v *view) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	head := r.head.Load()
	if seq == 0 || seq > head || head-seq >= uint64(len(r.slots)) {
		return false
	}
	i := (r.next - 1 - int(head-seq) + len(r.slots)) % len(r.slots)
	v.slot = r.slots[i]
	v.buf = append(v.buf[:0], r.arena[i*r.size:i*r.size+int(v.n)]...)
	return true
}

// oldest returns the seq of the oldest record still held (head+1 when empty).
func (r *ring) oldest() uint64 {
	head := r.head.Load()
	if head < uint64(len(r.slots)) {
		return 1
	}
	return head - uint64(len(r.slots)) + 1
}

// length returns how many records the ring holds.
func (r *ring) length() int {
	return int(min(r.head.Load(), uint64(len(r.slots))))
}
