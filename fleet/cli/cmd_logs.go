package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

// followTTL is the lease fleetctl asks for with logs -f.
const followTTL = 30

func (a *app) logsCmd() *cobra.Command {
	var args fleet.LogsArgs
	var follow bool
	var f targetFlags
	cmd := &cobra.Command{
		Use:         deviceUse("logs", "[-n N] [--grep RE] [--level L] [--source S] [-f]"),
		Annotations: sends(fleet.CmdLogs, fleet.CmdLogFollow, fleet.CmdPing),
		Short:       "Print devices' journals, or follow one",
		Args:        f.deviceArgs(),
	}
	f.bind(cmd)
	fl := cmd.Flags()
	fl.IntVarP(&args.N, "lines", "n", 50, "number of most recent records")
	fl.StringVar(&args.Grep, "grep", "", "only records whose message matches this regular expression")
	fl.StringVar(&args.Level, "level", "", "minimum level: debug, info, warn, error")
	fl.StringVar(&args.Source, "source", "", "only records of this source (task, service or component)")
	fl.BoolVarP(&follow, "follow", "f", false, "keep printing new records until interrupted")
	cmd.RunE = run(func(cmd *cobra.Command, pos []string) error {
		if err := checkLogsArgs(args); err != nil {
			return err
		}
		// -n 0 asks for no old records; an unset -n leaves the default.
		none := fl.Changed("lines") && args.N == 0
		one := !f.bySelection() && len(pos) == 1
		switch {
		case follow && !one:
			return usageErrorf("-f follows one device: give one device id")
		case follow:
			return a.follow(cmd.Context(), pos[0], args, none)
		case none && one:
			return nil
		}
		return fanQuery(a, cmd, &f, pos, fleet.CmdLogs, args, view[fleet.LogsResult]{
			block: func(w io.Writer, res fleet.LogsResult) error { return printRecords(w, res.Records) },
		})
	})
	return cmd
}

// checkLogsArgs refuses, before anything is sent, what the device would
// refuse: a negative count, a bad regular expression or an unknown level.
func checkLogsArgs(args fleet.LogsArgs) error {
	if args.N < 0 {
		return usageErrorf("-n %d: want 0 or more records", args.N)
	}
	if _, err := regexp.Compile(args.Grep); err != nil {
		return usageErrorf("--grep: %v", err)
	}
	if args.Level != "" {
		if _, err := fleet.ParseLevel(args.Level); err != nil {
			return usageErrorf("--level %q: want debug, info, warn or error", args.Level)
		}
	}
	return nil
}

// follow prints the recent records (none when none is set), then new ones
// until ctx ends. Records already printed (by sequence number) are skipped.
func (a *app) follow(ctx context.Context, dev string, args fleet.LogsArgs, none bool) error {
	if err := validDevice(dev); err != nil {
		return err
	}
	c, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	last, err := a.printRecent(ctx, c, dev, args, none)
	if err != nil {
		return err
	}
	fargs := fleet.FollowArgs{TTLSeconds: followTTL, Grep: args.Grep, Level: args.Level}
	err = c.Follow(ctx, dev, fargs, func(rec fleet.LogRecord) {
		if rec.Seq != 0 && rec.Seq <= last {
			return
		}
		if args.Source == "" || globMatch(args.Source, rec.Source) {
			a.printRecord(rec)
		}
	})
	if err != nil {
		return fmt.Errorf("%s: %w", dev, err)
	}
	return nil
}

// printRecent prints the last records that match args and returns the
// highest sequence number printed. With none it prints nothing and only
// pings the device, so that an unknown or silent device fails within --timeout.
func (a *app) printRecent(ctx context.Context, c *client.Client, dev string, args fleet.LogsArgs, none bool) (uint64, error) {
	rctx, cancel := context.WithTimeout(ctx, a.s.Timeout)
	defer cancel()
	cmd, cmdArgs := fleet.CmdLogs, any(args)
	if none {
		cmd, cmdArgs = fleet.CmdPing, nil
	}
	r, err := a.request(rctx, c, dev, cmd, cmdArgs)
	if err != nil {
		return 0, err
	}
	var res fleet.LogsResult
	if err := r.Decode(&res); err != nil && !none {
		return 0, fmt.Errorf("%s: %w", dev, err)
	}
	var last uint64
	for _, rec := range res.Records {
		a.printRecord(rec)
		last = max(last, rec.Seq)
	}
	return last, nil
}

// globMatch reports whether name matches pattern, where '*' matches any
// run of characters (as the device matches --source).
func globMatch(pattern, name string) bool {
	first, rest, found := strings.Cut(pattern, "*")
	if !found {
		return name == pattern
	}
	if !strings.HasPrefix(name, first) {
		return false
	}
	name = name[len(first):]
	for {
		part, more, star := strings.Cut(rest, "*")
		if !star {
			return strings.HasSuffix(name, part)
		}
		i := strings.Index(name, part)
		if i < 0 {
			return false
		}
		name, rest = name[i+len(part):], more
	}
}

func (a *app) printRecord(rec fleet.LogRecord) {
	if a.s.Output == OutputTable {
		_ = printRecords(a.opts.Stdout, []fleet.LogRecord{rec})
		return
	}
	raw, _ := json.Marshal(rec) // one JSON document per line, for jq
	fmt.Fprintln(a.opts.Stdout, string(raw))
}

// printRecords prints records one per line: time, level, source, message, attrs.
func printRecords(w io.Writer, recs []fleet.LogRecord) error {
	for _, r := range recs {
		if r.Dropped > 0 {
			fmt.Fprintf(w, "... %d records dropped\n", r.Dropped)
		}
		line := fmt.Sprintf("%s %-5s %s %s%s", r.TS.Local().Format("2006-01-02 15:04:05.000"),
			strings.ToUpper(r.Level), orDash(r.Source), r.Msg, attrs(r.Attrs))
		if _, err := fmt.Fprintln(w, line); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	return nil
}

func attrs(m map[string]any) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, " %s=%v", k, m[k])
	}
	return b.String()
}
