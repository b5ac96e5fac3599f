package schedule

import (
	"errors"
	"fmt"
)

// ErrBadSpec is matched (with errors.Is) by every error of Parse, of
// UnmarshalText and of the fluent builders.
var ErrBadSpec = errors.New("schedule: bad spec")

// ParseError describes why a schedule spec was refused and where.
type ParseError struct {
	// Text is the whole spec as given.
	Text string
	// Pos is the 0-based byte offset in Text of the offending token.
	Pos int
	// Expected says what would have been valid at Pos.
	Expected string
	// Got is the offending token, or "end of input".
	Got string
}

// Error renders the error as
// `schedule: bad spec "every 10 parsecs" at 9: expected a unit (s, m, h, d, w), got "parsecs"`.
func (e *ParseError) Error() string {
	got := e.Got
	if got != endOfInput {
		got = fmt.Sprintf("%q", got)
	}
	return fmt.Sprintf("%v %q at %d: expected %s, got %s", ErrBadSpec, e.Text, e.Pos, e.Expected, got)
}

// Unwrap makes errors.Is(err, ErrBadSpec) true.
func (e *ParseError) Unwrap() error { return ErrBadSpec }

// endOfInput is the Got of a ParseError raised past the last token.
const endOfInput = "end of input"
