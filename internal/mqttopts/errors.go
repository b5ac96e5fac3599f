package mqttopts

import "errors"

// ErrTLS reports TLS material that could not be loaded. Compare with errors.Is.
var ErrTLS = errors.New("mqtt: tls")
