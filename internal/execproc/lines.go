package execproc

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"sync"
)

// Stream names passed to the line callback.
const (
	Stdout = "stdout"
	Stderr = "stderr"
)

// DefaultMaxLine is the longest line delivered in one piece; longer lines
// are split into pieces of at most this many bytes.
const DefaultMaxLine = 4096

// lineSink serialises calls to a line callback coming from two streams.
type lineSink struct {
	mu sync.Mutex
	fn func(stream, line string)
}

func (s *lineSink) emit(stream string, b []byte) {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	line := string(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fn(stream, line)
}

// readLines reads r until EOF or error and hands every line, or every
// max-byte piece of a longer line, to sink. Memory is bounded by max.
func readLines(r io.Reader, stream string, max int, sink *lineSink) {
	br := bufio.NewReaderSize(r, max)
	for {
		b, err := br.ReadSlice('\n')
		if len(b) > 0 {
			sink.emit(stream, b)
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return
		}
	}
}

// limitBuffer keeps the first limit bytes written to it and counts the rest.
type limitBuffer struct {
	buf     bytes.Buffer
	limit   int
	dropped int64
}

func (l *limitBuffer) Write(p []byte) (int, error) {
	n := len(p)
	room := l.limit - l.buf.Len()
	if room < len(p) {
		l.dropped += int64(len(p) - max(room, 0))
		p = p[:max(room, 0)]
	}
	l.buf.Write(p)
	return n, nil
}

// tailBuffer keeps the last size bytes written to it.
type tailBuffer struct {
	buf  []byte
	size int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.size; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return n, nil
}
