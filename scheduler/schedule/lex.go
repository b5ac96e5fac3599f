package schedule

import (
	"strings"
	"unicode"
)

// token is one whitespace-separated word of a spec and its byte offset.
type token struct {
	text string
	pos  int
}

// lexer hands out the words of a spec one at a time. Words are separated by
// Unicode white space; a comma followed by spaces ("monday, friday") is
// glued to the next word so that lists stay one token.
type lexer struct {
	src  string
	toks []token
	i    int
}

// newLexer splits src into tokens.
func newLexer(src string) *lexer {
	l := &lexer{src: src}
	start := -1
	for i, r := range src {
		switch {
		case !unicode.IsSpace(r) && start < 0:
			start = i
		case unicode.IsSpace(r) && start >= 0:
			l.toks = append(l.toks, token{src[start:i], start})
			start = -1
		}
	}
	if start >= 0 {
		l.toks = append(l.toks, token{src[start:], start})
	}
	l.toks = glueCommas(src, l.toks)
	return l
}

// glueCommas joins "a," "b" and "a" ",b" into one token "a,b" whose text is
// the words without the spaces between them.
func glueCommas(src string, toks []token) []token {
	out := toks[:0:0]
	for _, t := range toks {
		if n := len(out); n > 0 && (strings.HasSuffix(out[n-1].text, ",") || strings.HasPrefix(t.text, ",")) {
			out[n-1].text += t.text
			continue
		}
		out = append(out, t)
	}
	return out
}

// peek returns the next token without consuming it; ok is false at the end.
func (l *lexer) peek() (token, bool) {
	if l.i >= len(l.toks) {
		return token{pos: len(l.src)}, false
	}
	return l.toks[l.i], true
}

// next consumes and returns the next token.
func (l *lexer) next() (token, bool) {
	t, ok := l.peek()
	if ok {
		l.i++
	}
	return t, ok
}

// peekWord reports whether the next token is the keyword w (case-insensitive).
func (l *lexer) peekWord(w string) bool {
	t, ok := l.peek()
	return ok && strings.EqualFold(t.text, w)
}

// errAt builds a ParseError at token t.
func (l *lexer) errAt(t token, expected string) *ParseError {
	got := t.text
	if t.pos >= len(l.src) && got == "" {
		got = endOfInput
	}
	return &ParseError{Text: l.src, Pos: t.pos, Expected: expected, Got: got}
}

// errNext builds a ParseError at the next token (or the end of input).
func (l *lexer) errNext(expected string) *ParseError {
	t, _ := l.peek()
	return l.errAt(t, expected)
}

// expectWord consumes the keyword w or fails.
func (l *lexer) expectWord(w string) error {
	t, ok := l.next()
	if !ok || !strings.EqualFold(t.text, w) {
		return l.errAt(t, "\""+w+"\"")
	}
	return nil
}

// asciiLower lower-cases ASCII letters only, keeping byte offsets valid.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
