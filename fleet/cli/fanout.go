package cli

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

// view says how a device command prints one device's result of type T:
// as table rows, or as a text block (status, config).
type view[T any] struct {
	table func(T) *table
	block func(w io.Writer, res T) error
	// prepare, when set, changes a result before it is printed (sorting).
	prepare func(*T)
	// many: print one device like several (agent restart's DEVICE column).
	many bool
}

// outcome is one target's result of a fan-out.
type outcome[T any] struct {
	target
	res T
	err error
}

// fanQuery sends command to the targets of f and prints the results. One
// device id prints as before (no DEVICE column, one JSON object); several
// ids, -l or --all print a DEVICE column or one block per device, and
// -o json|yaml one array with a "device" field per element.
func fanQuery[T any](a *app, cmd *cobra.Command, f *targetFlags, ids []string, command string, args any, v view[T]) error {
	if !f.bySelection() && len(ids) == 1 && !v.many {
		var res T
		if err := a.call(cmd.Context(), ids[0], command, args, &res); err != nil {
			return err
		}
		v.prep(&res)
		return printOne(a, res, v)
	}
	a.parallel = f.parallel
	var outs []outcome[T]
	err := a.withClient(cmd.Context(), func(ctx context.Context, c *client.Client) error {
		targets, err := f.resolve(ctx, c, ids)
		if err != nil {
			return err
		}
		outs = fanOut[T](a, ctx, c, targets, !f.bySelection(), command, args)
		for i := range outs {
			v.prep(&outs[i].res)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := printMany(a, outs, v); err != nil {
		return err
	}
	return summarize(outs)
}

func (v view[T]) prep(res *T) {
	if v.prepare != nil {
		v.prepare(res)
	}
}

// printOne prints a single device's result as the command always did.
func printOne[T any](a *app, res T, v view[T]) error {
	if a.s.Output != OutputTable || v.table != nil {
		return a.out(res, func() *table { return v.table(res) })
	}
	return v.block(a.opts.Stdout, res)
}

// fanOut asks the targets that are online (or named) and decodes each reply.
// Named ids get the unknown-device check; listed ones are known.
func fanOut[T any](a *app, ctx context.Context, c *client.Client, targets []target, named bool, command string, args any) []outcome[T] {
	var ids []string
	for _, t := range targets {
		if !t.skip {
			ids = append(ids, t.id)
		}
	}
	results := c.FanOutFunc(ctx, ids, func(ctx context.Context, dev string) (fleet.Reply, error) {
		if named {
			return a.ask(ctx, c, dev, command, args)
		}
		return c.Request(ctx, dev, command, args)
	})
	outs, j := make([]outcome[T], len(targets)), 0
	for i, t := range targets {
		outs[i].target = t
		if t.skip {
			continue
		}
		r := results[j]
		j++
		outs[i].err = r.Err
		if r.Err == nil {
			outs[i].err = r.Reply.Decode(&outs[i].res)
		}
	}
	return outs
}

// printMany prints every target's result: a table with a DEVICE column or
// one block per device, then the failed and skipped devices; or one JSON
// or YAML array.
func printMany[T any](a *app, outs []outcome[T], v view[T]) error {
	if a.s.Output != OutputTable {
		return a.out(jsonElements(outs), nil)
	}
	if err := printBodies(a, outs, v); err != nil {
		return err
	}
	return problemsTable(outs).writeIfAny(a.opts.Stdout, slices.ContainsFunc(outs, answered[T]))
}

// printBodies prints the table, or the blocks, of the devices that answered.
func printBodies[T any](a *app, outs []outcome[T], v view[T]) error {
	if v.table != nil {
		if t := deviceTable(outs, v.table); len(t.rows) > 0 {
			return t.write(a.opts.Stdout)
		}
		return nil
	}
	for _, o := range outs {
		if !answered(o) {
			continue
		}
		fmt.Fprintf(a.opts.Stdout, "=== %s ===\n", o.id)
		if err := v.block(a.opts.Stdout, o.res); err != nil {
			return err
		}
		fmt.Fprintln(a.opts.Stdout)
	}
	return nil
}

// deviceTable joins the devices' tables under one header with a DEVICE column.
func deviceTable[T any](outs []outcome[T], tableFn func(T) *table) *table {
	var zero T
	t := &table{header: append([]string{"DEVICE"}, tableFn(zero).header...)}
	for _, o := range outs {
		if !answered(o) {
			continue
		}
		for _, row := range tableFn(o.res).rows {
			t.add(append([]string{o.id}, row...)...)
		}
	}
	return t
}

func answered[T any](o outcome[T]) bool { return !o.skip && o.err == nil }

// problemsTable lists the skipped and failed devices.
func problemsTable[T any](outs []outcome[T]) *table {
	t := &table{header: []string{"DEVICE", "RESULT"}}
	for _, o := range outs {
		switch {
		case o.skip:
			t.add(o.id, "skipped: "+orDash(string(o.state)))
		case o.err != nil:
			t.add(o.id, "failed: "+o.err.Error())
		}
	}
	return t
}

// writeIfAny writes the table when it has rows, after a blank line when
// something was printed before.
func (t *table) writeIfAny(w io.Writer, after bool) error {
	if len(t.rows) == 0 {
		return nil
	}
	if after {
		fmt.Fprintln(w)
	}
	return t.write(w)
}
