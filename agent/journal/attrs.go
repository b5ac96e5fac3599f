package journal

import "strconv"

// SplitAttrs parses the attribute text of a Record ("k=v k2=\"two words\"")
// back into pairs, undoing the quoting the handler applied. Text that is not
// in that form (a stray word without "=") is kept under the key "text", so
// nothing is ever lost.
func SplitAttrs(text string) map[string]string {
	if text == "" {
		return nil
	}
	m := make(map[string]string)
	for rest := text; rest != ""; {
		var key, val string
		var ok bool
		key, rest, ok = cutToken(rest, '=')
		if !ok {
			m["text"] = appendWord(m["text"], key)
			continue
		}
		val, rest, _ = cutToken(rest, ' ')
		m[key] = val
	}
	return m
}

// cutToken reads one possibly quoted token from s, ending at sep or a space.
// It reports whether the token ended at sep, and returns the rest after it.
func cutToken(s string, sep byte) (tok, rest string, atSep bool) {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	if len(s) > 0 && s[0] == '"' {
		if q, err := strconv.QuotedPrefix(s); err == nil {
			tok, _ = strconv.Unquote(q)
			rest, atSep = after(s[len(q):], sep)
			return tok, rest, atSep
		}
	}
	i := 0
	for i < len(s) && s[i] != sep && s[i] != ' ' {
		i++
	}
	rest, atSep = after(s[i:], sep)
	return s[:i], rest, atSep
}

// after drops a leading sep (reporting it) or leading spaces from s.
func after(s string, sep byte) (string, bool) {
	if len(s) > 0 && s[0] == sep {
		return s[1:], true
	}
	return s, false
}

func appendWord(text, w string) string {
	if text == "" {
		return w
	}
	return text + " " + w
}
