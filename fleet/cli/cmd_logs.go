package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
)

// followTTL is the lease fleetctl asks for with logs -f.
const followTTL = 30

func (a *app) logsCmd() *cobra.Command {
	var args fleet.LogsArgs
	var follow bool
	cmd := &cobra.Command{
		Use:   "logs DEV [-n N] [--grep RE] [--level L] [--source S] [-f]",
		Short: "Print a device's journal, optionally following it",
		Args:  cobra.ExactArgs(1),
	}
	fl := cmd.Flags()
	fl.IntVarP(&args.N, "lines", "n", 50, "number of most recent records")
	fl.StringVar(&args.Grep, "grep", "", "only records whose message matches this regular expression")
	fl.StringVar(&args.Level, "level", "", "minimum level: debug, info, warn, error")
	fl.StringVar(&args.Source, "source", "", "only records of this source (task, service or component)")
	fl.BoolVarP(&follow, "follow", "f", false, "keep printing new records until interrupted")
	cmd.RunE = run(func(cmd *cobra.Command, pos []string) error {
		if _, err := regexp.Compile(args.Grep); err != nil {
			return usageErrorf("--grep: %v", err)
		}
		if follow {
			return a.follow(cmd.Context(), pos[0], args)
		}
		var res fleet.LogsResult
		if err := a.call(cmd.Context(), pos[0], fleet.CmdLogs, args, &res); err != nil {
			return err
		}
		if a.s.Output == OutputTable {
			return printRecords(a.opts.Stdout, res.Records)
		}
		return a.out(res, nil)
	})
	return cmd
}

// follow prints the recent records, then new ones until ctx ends. Records
// already printed (by sequence number) are skipped.
func (a *app) follow(ctx context.Context, dev string, args fleet.LogsArgs) error {
	if err := fleet.ValidDeviceID(dev); err != nil {
		return usageErrorf("%v", err)
	}
	c, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	rctx, cancel := context.WithTimeout(ctx, a.s.Timeout)
	defer cancel()
	r, err := c.Request(rctx, dev, fleet.CmdLogs, args)
	var res fleet.LogsResult
	if err == nil {
		err = r.Decode(&res)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", dev, err)
	}
	var last uint64
	for _, rec := range res.Records {
		a.printRecord(rec)
		last = max(last, rec.Seq)
	}
	fargs := fleet.FollowArgs{TTLSeconds: followTTL, Grep: args.Grep, Level: args.Level}
	err = c.Follow(ctx, dev, fargs, func(rec fleet.LogRecord) {
		if rec.Seq != 0 && rec.Seq <= last {
			return
		}
		if args.Source == "" || rec.Source == args.Source {
			a.printRecord(rec)
		}
	})
	if err != nil {
		return fmt.Errorf("%s: %w", dev, err)
	}
	return nil
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
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, m[k])
	}
	return b.String()
}
