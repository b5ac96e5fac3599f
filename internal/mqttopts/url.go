package mqttopts

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Schemes are the broker URL schemes paho accepts.
var Schemes = []string{"tcp", "mqtt", "ssl", "tls", "mqtts", "tcps", "ws", "wss"}

// CheckURL reports, wrapping ErrURL, why s is not a broker URL such as
// tcp://host:1883.
func CheckURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("%w %q: %w", ErrURL, s, err)
	case !slices.Contains(Schemes, u.Scheme):
		return fmt.Errorf("%w %q: scheme must be one of %s", ErrURL, s, strings.Join(Schemes, ", "))
	case u.Host == "":
		return fmt.Errorf("%w %q: no host", ErrURL, s)
	}
	return nil
}

// CheckURLs is CheckURL for each of urls, which may not be empty.
func CheckURLs(urls []string) error {
	if len(urls) == 0 {
		return fmt.Errorf("%w: none given", ErrURL)
	}
	for _, s := range urls {
		if err := CheckURL(s); err != nil {
			return err
		}
	}
	return nil
}
