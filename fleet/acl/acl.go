// Package acl writes broker access control lists that give each part of a
// Drover fleet the least it needs: a device touches only its own topics,
// operators everything, viewers read only, publishers the OTA artifacts
// and groups. See docs/security.md.
package acl

import (
	"fmt"
	"strings"

	"github.com/drover-iot/drover/fleet"
)

// Users are the broker user names given more than a device's rights.
// Every other user name is taken to be a device id.
type Users struct {
	// Operators read everything and publish commands (and anything else).
	Operators []string
	// Viewers (Grafana, the exporter, dashboards) only read.
	Viewers []string
	// Publishers write OTA artifacts and groups, and read them.
	Publishers []string
}

// DeviceWrites are the topic kinds a device publishes under its own id.
var DeviceWrites = []string{
	fleet.KindState, fleet.KindInfo, fleet.KindStatus, fleet.KindTelemetry, fleet.KindLog,
	fleet.KindMetrics, fleet.KindReported, fleet.KindReply, fleet.KindReply + "/#",
}

// GroupsLevel is the topic level under the prefix where groups are published.
const GroupsLevel = fleet.GroupsLevel

// Mosquitto returns a Mosquitto acl_file for the fleet under topics'
// prefix. Device rules are "pattern" rules, %u being the client's user
// name: the device id with a password file, or the certificate's CN with
// use_identity_as_username. A user name that cannot be a Mosquitto user
// (empty, or with white space or a wildcard) is an error wrapping ErrBadUser.
func Mosquitto(topics fleet.Topics, u Users) (string, error) {
	if err := u.check(); err != nil {
		return "", err
	}
	p := topics.Root()
	var b strings.Builder
	fmt.Fprintf(&b, "# Mosquitto ACL for the Drover fleet under %q (fleetctl acl mosquitto).\n", p)
	b.WriteString("# Use with allow_anonymous false. Pattern rules apply to every client; %u is its\n" +
		"# user name, which must be the device id (or the certificate CN with use_identity_as_username).\n\n")
	b.WriteString("# Devices: publish only their own topics, read their own commands, OTA artifacts and groups.\n")
	for _, kind := range DeviceWrites {
		fmt.Fprintf(&b, "pattern write %s/%%u/%s\n", p, kind)
	}
	fmt.Fprintf(&b, "pattern read %s/%%u/%s\npattern read %s/ota/#\npattern read %s/%s/#\n", p, fleet.KindCmd, p, p, GroupsLevel)
	section(&b, "Operators: read everything, send commands, clear retained state.", u.Operators, "topic readwrite "+p+"/#")
	section(&b, "Viewers: read only.", u.Viewers, "topic read "+p+"/#")
	section(&b, "Publishers: OTA artifacts and groups.", u.Publishers,
		"topic readwrite "+p+"/ota/#", "topic readwrite "+p+"/"+GroupsLevel+"/#")
	return b.String(), nil
}

func section(b *strings.Builder, title string, users []string, rules ...string) {
	if len(users) == 0 {
		return
	}
	fmt.Fprintf(b, "\n# %s\n", title)
	for _, user := range users {
		fmt.Fprintf(b, "user %s\n%s\n", user, strings.Join(rules, "\n"))
	}
}

func (u Users) check() error {
	seen := map[string]bool{}
	for _, list := range [][]string{u.Operators, u.Viewers, u.Publishers} {
		for _, name := range list {
			switch {
			case name == "" || strings.ContainsAny(name, " \t\r\n#+/"):
				return fmt.Errorf("%w: %q", ErrBadUser, name)
			case seen[name]:
				return fmt.Errorf("%w: %q is given two roles", ErrBadUser, name)
			}
			seen[name] = true
		}
	}
	return nil
}
