package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

// knownFlags are the names parseFlags accepts (h and help ask for help).
var knownFlags = []string{"config", "broker", "id", "data-dir", "metrics-listen", "demo", "h", "help"}

// stringFlags maps each string flag to the option it sets.
var stringFlags = map[string]func(o options) string{
	"config":         func(o options) string { return o.config },
	"broker":         func(o options) string { return o.ov.BrokerURL },
	"id":             func(o options) string { return o.ov.ID },
	"data-dir":       func(o options) string { return o.ov.DataDir },
	"metrics-listen": func(o options) string { return o.ov.MetricsListen },
}

// flagName is the name the flag package reads from arg ("-n", "--n",
// "-n=v"), and whether arg is a flag at all rather than a positional
// argument or the "--" terminator.
func flagName(arg string) (string, bool) {
	if len(arg) < 2 || arg[0] != '-' || arg == "--" {
		return "", false
	}
	name := strings.TrimPrefix(arg[1:], "-")
	name, _, _ = strings.Cut(name, "=")
	return name, true
}

// FuzzParseFlags checks the interspersed flag parsing: it never panics,
// an unknown flag before or after the command is a usage error (exit 2),
// and a known flag's value is the same before or after the command.
func FuzzParseFlags(f *testing.F) {
	f.Add("selftest", "nosuch", "config", "/etc/drover.yaml", "a\x00--id\x00x")
	f.Add("check-config", "-id", "id", "-x", "--\x00-zz")
	f.Add("version", "broker=tcp://b:1883", "broker", "", "")
	f.Add("", "demo=maybe", "metrics-listen", "=:9100", "-h")
	f.Add("help", "x=1", "data-dir", "--", "--demo\x00--data-dir")
	f.Fuzz(func(t *testing.T, cmd, unknown, known, value, raw string) {
		// Never panics, whatever the arguments.
		_, _, _ = parseFlags(strings.Split(raw, "\x00"), io.Discard, noEnv)

		if cmd == "" || cmd[0] == '-' {
			return // a flag or an empty word, not a command
		}
		checkUnknownFlag(t, cmd, "-"+unknown)
		if get, ok := stringFlags[known]; ok {
			checkPlacement(t, cmd, known, value, get)
		}
		if known == "demo" {
			checkBoolPlacement(t, cmd, value)
		}
	})
}

// checkUnknownFlag asserts that arg, when it is a flag parseFlags does not
// know, fails parsing before and after cmd, and that run exits 2.
func checkUnknownFlag(t *testing.T, cmd, arg string) {
	name, isFlag := flagName(arg)
	if !isFlag || slices.Contains(knownFlags, name) {
		return
	}
	for _, args := range [][]string{{arg, cmd}, {cmd, arg}} {
		_, _, err := parseFlags(args, io.Discard, noEnv)
		if err == nil || errors.Is(err, flag.ErrHelp) {
			t.Fatalf("parseFlags(%q) = %v, want a usage error", args, err)
		}
		if code := run(context.Background(), args, io.Discard, io.Discard, noEnv); code != exitConfig {
			t.Fatalf("run(%q) = %d, want %d", args, code, exitConfig)
		}
	}
}

// checkPlacement asserts that the string flag name set to value, in the
// separate and the "=" forms, parses the same before and after cmd.
func checkPlacement(t *testing.T, cmd, name, value string, get func(options) string) {
	forms := [][]string{{"--" + name, value}, {"-" + name + "=" + value}}
	for _, flagArgs := range forms {
		before := append(slices.Clone(flagArgs), cmd)
		after := append([]string{cmd}, flagArgs...)
		ob, rb, errB := parseFlags(before, io.Discard, noEnv)
		oa, ra, errA := parseFlags(after, io.Discard, noEnv)
		if errB != nil || errA != nil {
			t.Fatalf("parseFlags(%q) = %v, parseFlags(%q) = %v, want no error", before, errB, after, errA)
		}
		if get(ob) != value || get(oa) != value {
			t.Fatalf("--%s: before %q, after %q, want %q", name, get(ob), get(oa), value)
		}
		if !slices.Equal(rb, []string{cmd}) || !slices.Equal(ra, []string{cmd}) {
			t.Fatalf("positional: before %q, after %q, want [%q]", rb, ra, cmd)
		}
	}
}

// checkBoolPlacement asserts that --demo=value parses the same before and
// after cmd: the same value, or a usage error in both places.
func checkBoolPlacement(t *testing.T, cmd, value string) {
	before := []string{"--demo=" + value, cmd}
	after := []string{cmd, "--demo=" + value}
	ob, _, errB := parseFlags(before, io.Discard, noEnv)
	oa, _, errA := parseFlags(after, io.Discard, noEnv)
	if (errB == nil) != (errA == nil) || ob.demo != oa.demo {
		t.Fatalf("parseFlags(%q) = %v, %v; parseFlags(%q) = %v, %v", before, ob.demo, errB, after, oa.demo, errA)
	}
}
