package execproc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

// stderrTail is how much of the standard error Output keeps for the error.
const stderrTail = 1024

// Output runs c to the end like Run and returns its standard output, at
// most limit bytes (limit <= 0 means 1 MiB). More output is read and
// dropped, and ErrOutputLimit is returned with the first limit bytes.
// A failed command returns an *ExitError whose Stderr holds the last
// kilobyte of its standard error. It suits command jobs and sensors.
func Output(ctx context.Context, c Cmd, limit int) ([]byte, error) {
	if limit <= 0 {
		limit = 1 << 20
	}
	out := &limitBuffer{limit: limit}
	tail := &tailBuffer{size: stderrTail}
	copyTo := func(w io.Writer) func(io.Reader) {
		return func(r io.Reader) { _, _ = io.Copy(w, r) }
	}
	_, err := c.run(ctx, copyTo(out), copyTo(tail), nil)
	var ee *ExitError
	if errors.As(err, &ee) {
		ee.Stderr = string(bytes.TrimSpace(tail.buf))
	}
	if err == nil && out.dropped > 0 {
		err = fmt.Errorf("%w: %d bytes dropped after %d", ErrOutputLimit, out.dropped, limit)
	}
	return out.buf.Bytes(), err
}
