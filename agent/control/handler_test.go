package control

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

func TestDispatcherBuiltFromTable(t *testing.T) {
	if got, want := Implemented(), slices.Sorted(slices.Values(fleet.Commands())); !slices.Equal(got, want) {
		t.Fatalf("Implemented() = %v, want the table's %v", got, want)
	}
	f := newFixture(t)
	if len(f.d.handlers) != len(fleet.Commands()) {
		t.Fatalf("%d handlers, want one per command of the table", len(f.d.handlers))
	}
	wrongArgs := typed(nil, func(context.Context, fleet.Request, fleet.LogsArgs) (fleet.PingResult, error) {
		return fleet.PingResult{}, nil
	})
	wrongResult := typed(nil, func(context.Context, fleet.Request, none) (fleet.AckResult, error) {
		return fleet.AckResult{}, nil
	})
	tests := []struct {
		name string
		edit func(map[string]handler)
	}{
		{"missing handler", func(m map[string]handler) { delete(m, fleet.CmdTaskStop) }},
		{"args type differs", func(m map[string]handler) { m[fleet.CmdPing] = wrongArgs }},
		{"result type differs", func(m map[string]handler) { m[fleet.CmdPing] = wrongResult }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			impl := f.d.implementations()
			tt.edit(impl)
			if _, err := fromTable(impl); !errors.Is(err, ErrConfig) {
				t.Fatalf("fromTable = %v, want ErrConfig", err)
			}
		})
	}
}
