package schedule

import (
	"strconv"
	"time"
)

// Parse reads a schedule spec in the text form documented in
// docs/schedules.md. Keywords are case-insensitive and extra white space is
// ignored. Errors are *ParseError and match ErrBadSpec.
func Parse(text string) (Spec, error) {
	l := newLexer(text)
	s, err := l.parseBase()
	if err != nil {
		return Spec{}, err
	}
	if err := l.parseModifiers(&s); err != nil {
		return Spec{}, err
	}
	return s, nil
}

// MustParse is Parse that panics on error, for specs fixed in code.
func MustParse(text string) Spec {
	s, err := Parse(text)
	if err != nil {
		panic(err)
	}
	return s
}

// expectBase lists the forms a spec can start with.
const expectBase = `"every", "cron", "rate", "in", "at" or "between"`

// parseBase reads the part of the spec before the modifiers.
func (l *lexer) parseBase() (Spec, error) {
	t, ok := l.next()
	if !ok {
		return Spec{}, l.errAt(t, expectBase)
	}
	switch asciiLower(t.text) {
	case "every":
		return l.parseEvery()
	case "cron":
		return l.parseCron()
	case "rate":
		return l.parseRate()
	case "in":
		d, err := l.readDuration()
		return Spec{kind: kindIn, period: d}, err
	case "at":
		at, err := l.readTime()
		return Spec{kind: kindAt, at: at}, err
	case "between":
		return l.parseBetween()
	}
	return Spec{}, l.errAt(t, expectBase)
}

// readTime consumes an RFC 3339 time and returns it in UTC.
func (l *lexer) readTime() (time.Time, error) {
	t, _ := l.next()
	at, err := time.Parse(time.RFC3339Nano, t.text)
	if err != nil || at.Year() < 1900 || at.Year() > 2200 {
		return time.Time{}, l.errAt(t, "an RFC 3339 time between 1900 and 2200 (e.g. 2026-12-01T10:00:00Z)")
	}
	return at.UTC(), nil
}

// parseBetween reads `<duration> and <duration>` after "between".
func (l *lexer) parseBetween() (Spec, error) {
	lo, err := l.readDuration()
	if err != nil {
		return Spec{}, err
	}
	if err := l.expectWord("and"); err != nil {
		return Spec{}, err
	}
	at, _ := l.peek()
	hi, err := l.readDuration()
	if err != nil {
		return Spec{}, err
	}
	if hi < lo {
		return Spec{}, l.errAt(at, "an upper bound not below "+formatDuration(lo))
	}
	return Spec{kind: kindBetween, period: lo, upper: hi}, nil
}

// parseModifiers reads `jitter`, `until` and `times`, in any order, each
// at most once, up to the end of the spec.
func (l *lexer) parseModifiers(s *Spec) error {
	seen := map[string]bool{}
	for {
		t, ok := l.next()
		if !ok {
			return nil
		}
		word := asciiLower(t.text)
		if seen[word] {
			return l.errAt(t, "each modifier at most once")
		}
		seen[word] = true
		if err := l.parseModifier(s, word, t); err != nil {
			return err
		}
	}
}

// parseModifier reads the value of the modifier word (token t).
func (l *lexer) parseModifier(s *Spec, word string, t token) error {
	var err error
	switch word {
	case "jitter":
		at, _ := l.peek()
		if s.jitter, err = l.readDuration(); err == nil {
			err = l.checkJitter(*s, at)
		}
	case "until":
		s.until, err = l.readTime()
	case "times":
		s.times, err = l.readCount(*s)
	default:
		return l.errAt(t, `a modifier ("jitter", "until", "times") or the end`)
	}
	return err
}

// checkJitter refuses a jitter not shorter than a grid spec's period.
func (l *lexer) checkJitter(s Spec, at token) error {
	if p := s.Period(); p > 0 && s.jitter >= p {
		return l.errAt(at, "a jitter shorter than the period "+formatDuration(p))
	}
	return nil
}

// readCount reads the positive run count of `times`.
func (l *lexer) readCount(s Spec) (int, error) {
	t, _ := l.next()
	if s.OneShot() {
		return 0, l.errAt(t, "no run count on a one-shot spec")
	}
	n, err := strconv.ParseInt(t.text, 10, 32)
	if err != nil || n <= 0 {
		return 0, l.errAt(t, "a positive run count")
	}
	return int(n), nil
}
