package control

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/drover-iot/drover/fleet"
)

// commandTable maps every supported command to its handler.
func (d *Dispatcher) commandTable() map[string]handlerFunc {
	return map[string]handlerFunc{
		fleet.CmdPing:           d.ping,
		fleet.CmdInfo:           d.info,
		fleet.CmdStatus:         d.status,
		fleet.CmdTaskList:       d.listUnits(fleet.KindTask),
		fleet.CmdTaskStart:      d.unitAction(fleet.KindTask, Units.Start, isStarted),
		fleet.CmdTaskStop:       d.unitAction(fleet.KindTask, Units.Stop, isStopped),
		fleet.CmdTaskRestart:    d.unitAction(fleet.KindTask, Units.Restart, isRestarted),
		fleet.CmdServiceList:    d.listUnits(fleet.KindService),
		fleet.CmdServiceEnable:  d.serviceToggle(Units.Enable, isStarted),
		fleet.CmdServiceDisable: d.serviceToggle(Units.Disable, isStopped),
		fleet.CmdServiceRestart: d.unitAction(fleet.KindService, Units.Restart, isRestarted),
		fleet.CmdLogs:           d.logs,
		fleet.CmdLogFollow:      d.logFollow,
		fleet.CmdScheduleList:   d.scheduleList,
		fleet.CmdScheduleAdd:    d.scheduleAdd,
		fleet.CmdScheduleRemove: d.scheduleAction(Schedules.Remove),
		fleet.CmdSchedulePause:  d.scheduleAction(Schedules.Pause),
		fleet.CmdScheduleResume: d.scheduleAction(Schedules.Resume),
		fleet.CmdScheduleRun:    d.scheduleAction(Schedules.RunNow),
		fleet.CmdSensorsRead:    d.sensorsRead,
		fleet.CmdConfigGet:      d.configGet,
		fleet.CmdAgentRestart:   d.agentRestart,
		fleet.CmdOTAApply:       d.otaApply,
		fleet.CmdOTAStatus:      d.otaStatus,
	}
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

// nameArg decodes and requires {"name": ...}.
func nameArg(req fleet.Request) (string, error) {
	var a fleet.NameArgs
	if err := decodeArgs(req, &a); err != nil {
		return "", err
	}
	if a.Name == "" {
		return "", fleet.Errorf(fleet.CodeBadRequest, "%s needs args.name", req.Cmd)
	}
	return a.Name, nil
}

func unavailable(what string) error {
	return fleet.Errorf(fleet.CodeUnavailable, "this agent has no %s", what)
}

func (d *Dispatcher) ping(context.Context, fleet.Request) (any, error) {
	now := d.clock.Now()
	var version string
	if d.deps.Info != nil {
		version = d.deps.Info().Version
	}
	return fleet.PingResult{TS: now.UTC(), UptimeS: now.Sub(d.started).Seconds(), Version: version}, nil
}

func (d *Dispatcher) info(context.Context, fleet.Request) (any, error) {
	if d.deps.Info == nil {
		return nil, unavailable("info")
	}
	return d.deps.Info(), nil
}

func (d *Dispatcher) status(context.Context, fleet.Request) (any, error) {
	if d.deps.Status == nil {
		return nil, unavailable("status")
	}
	return d.deps.Status(), nil
}

func (d *Dispatcher) listUnits(kind string) handlerFunc {
	return func(context.Context, fleet.Request) (any, error) {
		if d.deps.Units == nil {
			return nil, unavailable("supervisor")
		}
		return fleet.UnitsResult{Units: filterUnits(d.deps.Units.Units(), kind, nil)}, nil
	}
}

// unitAction applies act to every unit of kind matching args.name, one
// exact name at a time so that a task pattern never touches a service,
// then waits (bounded, see waitSettled) until each reflects the action,
// and replies with the units as they are then.
func (d *Dispatcher) unitAction(kind string, act func(Units, string) ([]string, error), settled settledFunc) handlerFunc {
	return func(ctx context.Context, req fleet.Request) (any, error) {
		if d.deps.Units == nil {
			return nil, unavailable("supervisor")
		}
		pattern, err := nameArg(req)
		if err != nil {
			return nil, err
		}
		names, err := d.deps.Units.Match(kind, pattern)
		if err != nil {
			if d.protocolError(err).Code == fleet.CodeNotFound {
				return nil, fleet.Errorf(fleet.CodeNotFound, "no %s named %q", kind, clip(pattern))
			}
			return nil, err
		}
		before := unitsByName(d.deps.Units.Units(), kind, names)
		for _, n := range names {
			if _, err := act(d.deps.Units, n); err != nil {
				return nil, fmt.Errorf("%s %s: %w", req.Cmd, n, err)
			}
		}
		d.waitSettled(ctx, req, before, settled)
		return fleet.UnitsResult{Units: filterUnits(d.deps.Units.Units(), kind, names)}, nil
	}
}

func (d *Dispatcher) serviceToggle(act func(Units, string) error, settled settledFunc) handlerFunc {
	return d.unitAction(fleet.KindService, func(u Units, name string) ([]string, error) {
		return []string{name}, act(u, name)
	}, settled)
}

// filterUnits keeps the units of kind, and only those named when names is not nil.
func filterUnits(all []fleet.Unit, kind string, names []string) []fleet.Unit {
	out := []fleet.Unit{}
	for _, u := range all {
		if u.Kind == kind && (names == nil || slices.Contains(names, u.Name)) {
			out = append(out, u)
		}
	}
	return out
}
