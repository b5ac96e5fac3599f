// Package commands checks that the one command table of the protocol
// (fleet.CommandTable) agrees with the three places that must follow it:
// the agent's dispatcher, fleetctl and docs/PROTOCOL.md.
package commands

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/drover-iot/drover/agent/control"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/cli"
)

// protocolDoc is docs/PROTOCOL.md from this package's directory.
const protocolDoc = "../../docs/PROTOCOL.md"

func TestDispatcherImplementsTheTable(t *testing.T) {
	same(t, "dispatcher handlers", control.Implemented())
}

func TestFleetctlSendsEveryCommand(t *testing.T) {
	senders := cli.Senders(cli.NewCommand(cli.Options{}))
	for name, paths := range senders {
		t.Logf("%s <- %s", name, strings.Join(paths, "; "))
	}
	same(t, "commands fleetctl sends", slices.Collect(maps.Keys(senders)))
}

func TestProtocolDocHasASectionPerCommand(t *testing.T) {
	doc, err := os.ReadFile(protocolDoc)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "### sections under ## Commands in docs/PROTOCOL.md", commandSections(string(doc)))
}

func TestProtocolDocTableMatches(t *testing.T) {
	doc, err := os.ReadFile(protocolDoc)
	if err != nil {
		t.Fatal(err)
	}
	rows := summaryRows(string(doc))
	var names []string
	for name, cells := range rows {
		names = append(names, name)
		spec, ok := fleet.LookupCommand(name)
		if ok && (cells[0] != string(spec.Capability) || cells[1] != string(spec.Role)) {
			t.Errorf("docs/PROTOCOL.md: %s has capability %q and role %q, the table says %q and %q",
				name, cells[0], cells[1], spec.Capability, spec.Role)
		}
	}
	same(t, "rows of the command summary in docs/PROTOCOL.md", names)
}

// same fails unless got holds exactly the table's command names, naming
// what is missing and what is extra.
func same(t *testing.T, what string, got []string) {
	t.Helper()
	want := fleet.Commands()
	for _, name := range want {
		if !slices.Contains(got, name) {
			t.Errorf("%s: %s is in fleet's command table but missing here", what, name)
		}
	}
	for _, name := range got {
		if !slices.Contains(want, name) {
			t.Errorf("%s: %s is not in fleet's command table", what, name)
		}
	}
}
