package journal

import (
	"bytes"
	"log/slog"
	"regexp"
	"slices"
	"strings"
)

// Query selects records for Cat and Follow. The zero Query selects every
// record of level INFO and above (set MinLevel to LevelAll for DEBUG too).
type Query struct {
	// N limits Cat to the last N matching records; 0 means all held.
	// Follow ignores it.
	N int
	// Grep, when set, must match the record's message and attributes as
	// rendered after the source: "msg k=v k2=v2" (not the time, level or
	// source; use MinLevel and Source for those).
	Grep *regexp.Regexp
	// MinLevel drops records below it.
	MinLevel slog.Level
	// Source, when set, must equal the record's source; a '*' in it
	// matches any run of characters ("svc:*", "*blink").
	Source string
	// AfterSeq keeps only records with a larger Seq; with Follow it also
	// replays the held records after it, so Cat then Follow with the last
	// Seq seen misses nothing.
	AfterSeq uint64
}

// match reports whether the slot copy v passes q.
func (q *Query) match(v *view) bool {
	if v.level < q.MinLevel || v.seq <= q.AfterSeq {
		return false
	}
	if q.Source != "" && !globMatch(q.Source, v.source()) {
		return false
	}
	return q.Grep == nil || q.Grep.Match(v.body())
}

// globMatch reports whether name matches pattern, where '*' matches any
// run of bytes and every other byte matches itself.
func globMatch(pattern string, name []byte) bool {
	first, rest, found := strings.Cut(pattern, "*")
	if !found {
		return string(name) == pattern
	}
	if !bytes.HasPrefix(name, []byte(first)) {
		return false
	}
	name = name[len(first):]
	for {
		part, more, star := strings.Cut(rest, "*")
		if !star {
			return len(name) >= len(part) && string(name[len(name)-len(part):]) == part
		}
		i := bytes.Index(name, []byte(part))
		if i < 0 {
			return false
		}
		name, rest = name[i+len(part):], more
	}
}

// Cat returns the last q.N records that match q (all matching records
// held when q.N is 0), oldest first. It allocates only the records returned.
func (j *Journal) Cat(q Query) []Record {
	var out []Record
	v := view{buf: make([]byte, 0, j.ring.size)}
	head := j.ring.head.Load()
	for seq := head; seq > q.AfterSeq && (q.N <= 0 || len(out) < q.N); seq-- {
		if !j.ring.read(seq, &v) {
			break // overwritten: everything older is gone too
		}
		if q.match(&v) {
			out = append(out, v.record(j.loc))
		}
	}
	slices.Reverse(out)
	return out
}

// cursor walks the ring forward for one reader, counting what it missed.
type cursor struct {
	next uint64
	v    view
}

// advance copies the record at the cursor into c.v and moves on. It
// skips records the ring has overwritten and returns how many, and it
// reports false when no record up to limit is left.
func (c *cursor) advance(r *ring, limit uint64) (lost uint64, ok bool) {
	for c.next <= limit {
		if r.read(c.next, &c.v) {
			c.next++
			return lost, true
		}
		if old := r.oldest(); old > c.next {
			lost += old - c.next
			c.next = old
		}
	}
	return lost, false
}
