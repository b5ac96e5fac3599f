package journal

import "time"

// appendDuration appends d exactly as time.Duration.String writes it
// ("1.5s", "250ms", "2h0m0s") but without String's allocation. The
// algorithm is the Go standard library's (time/time.go, BSD licence).
func appendDuration(buf []byte, d time.Duration) []byte {
	var tmp [32]byte
	w := formatDuration(&tmp, d)
	return append(buf, tmp[w:]...)
}

// formatDuration writes d right-aligned into b and returns where it starts.
func formatDuration(b *[32]byte, d time.Duration) int {
	w := len(b)
	u := uint64(d)
	if d < 0 {
		u = -u
	}
	if u < uint64(time.Second) {
		w = formatSubSecond(b, u)
	} else {
		w--
		b[w] = 's'
		w, u = formatFrac(b[:w], u, 9)
		w = formatInt(b[:w], u%60)
		if u /= 60; u > 0 {
			w--
			b[w] = 'm'
			w = formatInt(b[:w], u%60)
			if u /= 60; u > 0 {
				w--
				b[w] = 'h'
				w = formatInt(b[:w], u)
			}
		}
	}
	if d < 0 {
		w--
		b[w] = '-'
	}
	return w
}

// formatSubSecond writes a duration under one second as ns, µs or ms.
func formatSubSecond(b *[32]byte, u uint64) int {
	w := len(b) - 1
	b[w] = 's'
	w--
	prec := 0
	switch {
	case u == 0:
		b[w] = '0'
		return w
	case u < uint64(time.Microsecond):
		b[w] = 'n'
	case u < uint64(time.Millisecond):
		prec = 3
		w-- // 'µ' takes two bytes
		copy(b[w:], "µ")
	default:
		prec = 6
		b[w] = 'm'
	}
	w, u = formatFrac(b[:w], u, prec)
	return formatInt(b[:w], u)
}

// formatFrac writes the fraction of v/10**prec, without trailing zeros,
// at the end of b and returns the start and v/10**prec.
func formatFrac(b []byte, v uint64, prec int) (int, uint64) {
	w := len(b)
	digits := false
	for range prec {
		digit := v % 10
		digits = digits || digit != 0
		if digits {
			w--
			b[w] = byte(digit) + '0'
		}
		v /= 10
	}
	if digits {
		w--
		b[w] = '.'
	}
	return w, v
}

// formatInt writes v in decimal at the end of b and returns the start.
func formatInt(b []byte, v uint64) int {
	w := len(b)
	if v == 0 {
		w--
		b[w] = '0'
	}
	for ; v > 0; v /= 10 {
		w--
		b[w] = byte(v%10) + '0'
	}
	return w
}
