package control

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/drover-iot/drover/fleet"
)

// handler is the code behind one command of fleet's command table.
type handler struct {
	// args and result are the Go types run decodes and returns; args is
	// nil for a command that takes none.
	args, result reflect.Type
	run          func(ctx context.Context, req fleet.Request) (any, error)
}

// none is the args type of commands that take no args; whatever args such
// a request carries are ignored.
type none struct{}

// typed builds the handler of a command whose args are A and result R.
// need, when set, refuses the command (unavailable) before its args are
// read; the args are decoded strictly (unknown fields are refused).
func typed[A, R any](need func() error, f func(context.Context, fleet.Request, A) (R, error)) handler {
	h := handler{args: reflect.TypeFor[A](), result: reflect.TypeFor[R]()}
	if h.args == reflect.TypeFor[none]() {
		h.args = nil
	}
	h.run = func(ctx context.Context, req fleet.Request) (any, error) {
		if need != nil {
			if err := need(); err != nil {
				return nil, err
			}
		}
		var a A
		if h.args != nil {
			if err := decodeArgs(req, &a); err != nil {
				return nil, err
			}
		}
		res, err := f(ctx, req, a)
		if err != nil {
			return nil, err
		}
		return res, nil
	}
	return h
}

// fromTable picks from impl the handler of every command of fleet's table
// and checks that it decodes the table's args type and returns its result
// type (when the table names one).
func fromTable(impl map[string]handler) (map[string]handler, error) {
	out := make(map[string]handler, len(impl))
	for _, spec := range fleet.CommandTable() {
		h, ok := impl[spec.Name]
		switch {
		case !ok:
			return nil, fmt.Errorf("%w: no handler for %s", ErrConfig, spec.Name)
		case h.args != spec.Args:
			return nil, fmt.Errorf("%w: %s decodes args %v, the command table says %v", ErrConfig, spec.Name, h.args, spec.Args)
		case spec.Result != nil && h.result != spec.Result:
			return nil, fmt.Errorf("%w: %s returns %v, the command table says %v", ErrConfig, spec.Name, h.result, spec.Result)
		}
		out[spec.Name] = h
	}
	return out, nil
}

// Implemented returns, sorted, the names of the commands the dispatcher
// has code for: a test checks them against fleet's command table.
func Implemented() []string {
	return slices.Sorted(maps.Keys((&Dispatcher{}).implementations()))
}

// decodeArgs strictly decodes req.Args into v: unknown fields are refused.
func decodeArgs(req fleet.Request, v any) error {
	if len(req.Args) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(req.Args))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fleet.Errorf(fleet.CodeBadRequest, "args of %s: %v", req.Cmd, err)
	}
	return nil
}

// requireName refuses a request whose args.name is empty.
func requireName(req fleet.Request, a fleet.NameArgs) error {
	if a.Name == "" {
		return fleet.Errorf(fleet.CodeBadRequest, "%s needs args.name", req.Cmd)
	}
	return nil
}
