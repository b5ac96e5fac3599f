package journal

import (
	"encoding"
	"fmt"
	"log/slog"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// attrTimeLayout is how time values of attributes are written.
const attrTimeLayout = "2006-01-02T15:04:05.000Z07:00"

// appendAttr appends " key=value" (no space when buf is empty) for a,
// qualifying the key with group. A top-level string "component" or
// "source" sets *src instead. Groups are flattened as "g.key=value".
func appendAttr(buf []byte, src *string, group string, a slog.Attr) []byte {
	v := a.Value.Resolve()
	switch {
	case a.Key == "" && v.Kind() == slog.KindAny && v.Any() == nil:
		return buf // slog: an empty Attr is ignored
	case v.Kind() == slog.KindGroup:
		return appendGroup(buf, src, group, a.Key, v.Group())
	case group == "" && v.Kind() == slog.KindString && (a.Key == KeyComponent || a.Key == KeySource):
		*src = v.String()
		return buf
	}
	if len(buf) > 0 {
		buf = append(buf, ' ')
	}
	if needsQuote(a.Key) {
		buf = strconv.AppendQuote(buf, group+a.Key)
	} else {
		buf = append(append(buf, group...), a.Key...)
	}
	buf = append(buf, '=')
	return appendValue(buf, v)
}

// appendGroup flattens a group attribute; an empty group is omitted and an
// unnamed one is inlined.
func appendGroup(buf []byte, src *string, group, key string, attrs []slog.Attr) []byte {
	if key != "" {
		group += key + "."
	}
	for _, ga := range attrs {
		buf = appendAttr(buf, src, group, ga)
	}
	return buf
}

// appendValue appends v as slog's TextHandler would, without allocating
// for strings, numbers, booleans, durations and times.
func appendValue(buf []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return appendString(buf, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(buf, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(buf, v.Uint64(), 10)
	case slog.KindFloat64:
		return strconv.AppendFloat(buf, v.Float64(), 'g', -1, 64)
	case slog.KindBool:
		return strconv.AppendBool(buf, v.Bool())
	case slog.KindDuration:
		return appendDuration(buf, v.Duration())
	case slog.KindTime:
		return v.Time().AppendFormat(buf, attrTimeLayout)
	}
	return appendAny(buf, v.Any())
}

func appendAny(buf []byte, x any) []byte {
	switch x := x.(type) {
	case encoding.TextMarshaler:
		b, err := x.MarshalText()
		if err != nil {
			return appendString(buf, "!ERROR:"+err.Error())
		}
		return appendString(buf, string(b))
	case []byte:
		return strconv.AppendQuote(buf, string(x))
	}
	return appendString(buf, fmt.Sprintf("%+v", x))
}

// appendString appends s, quoted when it is empty or holds a space, '=',
// '"' or an unprintable rune, so that key=value pairs stay parseable.
func appendString(buf []byte, s string) []byte {
	if needsQuote(s) {
		return strconv.AppendQuote(buf, s)
	}
	return append(buf, s...)
}

func needsQuote(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b <= ' ' || b == '=' || b == '"' || b == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}
