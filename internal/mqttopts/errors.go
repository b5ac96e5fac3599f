package mqttopts

import "errors"

var (
	// ErrTLS reports TLS material that could not be loaded. Compare with errors.Is.
	ErrTLS = errors.New("mqtt: tls")
	// ErrURL reports a broker URL that is not one. Compare with errors.Is.
	ErrURL = errors.New("mqtt: not a broker url")
)
