package fleet

import (
	"fmt"
	"strings"
)

// MaxDeviceIDLen is the longest device id the protocol accepts.
const MaxDeviceIDLen = 63

// MaxClientIDLen is the longest controller client id ("from") accepted.
const MaxClientIDLen = 128

// ReservedDeviceID is refused as a device id because drover/ota/... holds
// the OTA artifacts, and a device named "ota" would share their topics.
const ReservedDeviceID = "ota"

// ValidDeviceID reports whether id matches ^[a-z0-9][a-z0-9._-]{0,62}$ and is
// not reserved. The error wraps ErrInvalidDeviceID and says what is wrong.
func ValidDeviceID(id string) error {
	if reason := deviceIDProblem(id); reason != "" {
		return fmt.Errorf("%w %q: %s", ErrInvalidDeviceID, id, reason)
	}
	return nil
}

func deviceIDProblem(id string) string {
	switch {
	case id == "":
		return "empty"
	case len(id) > MaxDeviceIDLen:
		return fmt.Sprintf("longer than %d bytes", MaxDeviceIDLen)
	case strings.ContainsAny(id, "+#"):
		return "contains an MQTT wildcard ('+' or '#')"
	case strings.Contains(id, "/"):
		return "contains '/', the MQTT topic separator"
	case id == ReservedDeviceID:
		return "reserved for OTA topics"
	case !isLowerAlnum(id[0]):
		return "must start with a lower-case letter or digit"
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= 'A' && c <= 'Z' {
			return "contains upper case; device ids are lower case"
		}
		if !isLowerAlnum(c) && c != '.' && c != '_' && c != '-' {
			return fmt.Sprintf("character %q at %d is not one of a-z 0-9 . _ -", c, i)
		}
	}
	return ""
}

// ValidClientID reports whether id can be used as a controller client id,
// which is also the last level of the reply topic: 1 to 128 bytes of
// A-Z a-z 0-9 . _ - and no MQTT wildcard or separator. The error wraps
// ErrInvalidClientID.
func ValidClientID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: empty", ErrInvalidClientID)
	}
	if len(id) > MaxClientIDLen {
		return fmt.Errorf("%w %q: longer than %d bytes", ErrInvalidClientID, id, MaxClientIDLen)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !isLowerAlnum(c) && !(c >= 'A' && c <= 'Z') && c != '.' && c != '_' && c != '-' {
			return fmt.Errorf("%w %q: character %q at %d is not one of A-Z a-z 0-9 . _ -",
				ErrInvalidClientID, id, c, i)
		}
	}
	return nil
}

func isLowerAlnum(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
}
