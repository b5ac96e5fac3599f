// Package names checks the short identifiers Drover uses for devices,
// services, jobs, sensors and artifacts.
//
// It replaces regular expressions such as `^[a-z0-9][a-z0-9._-]{0,62}$`: a
// bounded repetition compiles into one copy of its sub-program per
// repetition, which costs every binary tens of kilobytes of heap at start
// and a slower match, for a rule that a loop states as clearly.
package names

// Charset says which bytes a name may contain.
type Charset struct {
	// Upper allows A-Z besides a-z and 0-9.
	Upper bool
	// FirstExtra are further bytes allowed first (e.g. "_").
	FirstExtra string
	// Extra are further bytes allowed after the first (e.g. "._-").
	Extra string
}

// Lower is the charset of device ids, sensor names and artifacts:
// [a-z0-9][a-z0-9._-]*.
var Lower = Charset{Extra: "._-"}

// Valid reports whether s is 1 to max bytes long, starts with a letter,
// digit or one of cs.FirstExtra, and continues with letters, digits or
// bytes of cs.Extra.
func (cs Charset) Valid(s string, max int) bool {
	if s == "" || len(s) > max || !cs.alnum(s[0]) && !contains(cs.FirstExtra, s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !cs.alnum(s[i]) && !contains(cs.Extra, s[i]) {
			return false
		}
	}
	return true
}

func (cs Charset) alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || cs.Upper && c >= 'A' && c <= 'Z'
}

func contains(set string, c byte) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}
