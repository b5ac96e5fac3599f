package fleet

import (
	"fmt"
	"strings"
)

// selToken kinds.
const (
	tokEOF = iota
	tokIdent
	tokComma
	tokOpen
	tokClose
	tokEq   // = or ==
	tokNeq  // !=
	tokBang // !
)

type selToken struct {
	kind int
	text string
	pos  int // byte offset in the input, for errors
}

// selLexer splits a selector into tokens.
type selLexer struct {
	in  string
	pos int
}

// isSelSpecial reports whether c ends an identifier.
func isSelSpecial(c byte) bool {
	return strings.IndexByte(" \t\r\n,()=!", c) >= 0
}

func (l *selLexer) next() selToken {
	for l.pos < len(l.in) && strings.IndexByte(" \t\r\n", l.in[l.pos]) >= 0 {
		l.pos++
	}
	start := l.pos
	if l.pos >= len(l.in) {
		return selToken{kind: tokEOF, pos: start}
	}
	switch c := l.in[l.pos]; {
	case c == ',':
		l.pos++
		return selToken{kind: tokComma, text: ",", pos: start}
	case c == '(':
		l.pos++
		return selToken{kind: tokOpen, text: "(", pos: start}
	case c == ')':
		l.pos++
		return selToken{kind: tokClose, text: ")", pos: start}
	case c == '=' || c == '!':
		return l.operator(start)
	}
	for l.pos < len(l.in) && !isSelSpecial(l.in[l.pos]) {
		l.pos++
	}
	return selToken{kind: tokIdent, text: l.in[start:l.pos], pos: start}
}

func (l *selLexer) operator(start int) selToken {
	two := l.in[l.pos:min(l.pos+2, len(l.in))]
	switch {
	case two == "==":
		l.pos += 2
		return selToken{kind: tokEq, text: two, pos: start}
	case two == "!=":
		l.pos += 2
		return selToken{kind: tokNeq, text: two, pos: start}
	case l.in[l.pos] == '=':
		l.pos++
		return selToken{kind: tokEq, text: "=", pos: start}
	}
	l.pos++
	return selToken{kind: tokBang, text: "!", pos: start}
}

// selParser is a recursive-descent parser over selLexer with one token of lookahead.
type selParser struct {
	lx   selLexer
	peek *selToken
}

func (p *selParser) next() selToken {
	if p.peek != nil {
		t := *p.peek
		p.peek = nil
		return t
	}
	return p.lx.next()
}

func (p *selParser) look() selToken {
	if p.peek == nil {
		t := p.lx.next()
		p.peek = &t
	}
	return *p.peek
}

func (p *selParser) parse() ([]Requirement, error) {
	if p.look().kind == tokEOF {
		return nil, nil
	}
	var reqs []Requirement
	for {
		r, err := p.requirement()
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, r)
		switch t := p.next(); t.kind {
		case tokEOF:
			return reqs, nil
		case tokComma:
		default:
			return nil, unexpected(t, "',' or the end")
		}
	}
}

func unexpected(t selToken, want string) error {
	if t.kind == tokEOF {
		return fmt.Errorf("unexpected end at %d: want %s", t.pos, want)
	}
	return fmt.Errorf("at %d: want %s, got %q", t.pos, want, t.text)
}

func (p *selParser) requirement() (Requirement, error) {
	t := p.next()
	if t.kind == tokBang {
		key := p.next()
		if key.kind != tokIdent {
			return Requirement{}, unexpected(key, "a label key after '!'")
		}
		return Requirement{Key: key.text, Op: OpNotExists}, nil
	}
	if t.kind != tokIdent {
		return Requirement{}, unexpected(t, "a label key")
	}
	return p.afterKey(t.text)
}

func (p *selParser) afterKey(key string) (Requirement, error) {
	switch t := p.look(); {
	case t.kind == tokEq || t.kind == tokNeq:
		p.next()
		op := map[int]Operator{tokEq: OpEquals, tokNeq: OpNotEquals}[t.kind]
		return Requirement{Key: key, Op: op, Values: []string{p.value()}}, nil
	case t.kind == tokIdent && (t.text == "in" || t.text == "notin"):
		p.next()
		vals, err := p.set()
		return Requirement{Key: key, Op: Operator(t.text), Values: vals}, err
	case t.kind == tokComma || t.kind == tokEOF:
		return Requirement{Key: key, Op: OpExists}, nil
	default:
		return Requirement{}, unexpected(t, "=, ==, !=, in, notin, ',' or the end after key "+key)
	}
}

// value reads an optional value: k= is the empty value.
func (p *selParser) value() string {
	if t := p.look(); t.kind == tokIdent {
		p.next()
		return t.text
	}
	return ""
}

// set reads "(v1, v2, ...)" with at least one value.
func (p *selParser) set() ([]string, error) {
	if t := p.next(); t.kind != tokOpen {
		return nil, unexpected(t, "'(' to open the set of values")
	}
	var vals []string
	for {
		v := p.next()
		if v.kind != tokIdent {
			return nil, unexpected(v, "a value")
		}
		vals = append(vals, v.text)
		switch t := p.next(); t.kind {
		case tokClose:
			return vals, nil
		case tokComma:
		default:
			return nil, unexpected(t, "',' or ')'")
		}
	}
}
