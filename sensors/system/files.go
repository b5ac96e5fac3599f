package system

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// path joins the root with a path inside it.
func (s *Sensor) path(p string) string { return filepath.Join(s.cfg.Root, p) }

// readFile reads a small file into the sensor's buffer; the result is
// valid until the next call.
func (s *Sensor) readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s.buf = s.buf[:0]
	for {
		if len(s.buf) == cap(s.buf) {
			s.buf = append(s.buf, 0)[:len(s.buf)]
		}
		n, err := f.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if err == io.EOF {
			return s.buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readMilli reads a file holding one integer in thousandths (sysfs
// temperatures) and returns it in units.
func (s *Sensor) readMilli(name string) (float64, error) {
	b, err := s.readFile(name)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %q is not an integer", ErrParse, name, clip(b))
	}
	return float64(v) / 1000, nil
}

// readString reads a file holding one line of text.
func (s *Sensor) readString(name string) (string, error) {
	b, err := s.readFile(name)
	if err != nil {
		return "", err
	}
	return string(bytes.TrimSpace(b)), nil
}

// clip shortens content quoted in an error.
func clip(b []byte) []byte {
	b = bytes.TrimSpace(b)
	if len(b) > 40 {
		return b[:40]
	}
	return b
}
