package control

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/drover-iot/drover/fleet"
)

// implementations maps every command the dispatcher knows to its handler;
// New keeps those of fleet's command table.
func (d *Dispatcher) implementations() map[string]handler {
	return map[string]handler{
		fleet.CmdPing:           typed(nil, d.ping),
		fleet.CmdInfo:           typed(d.haveInfo, d.info),
		fleet.CmdStatus:         typed(d.haveStatus, d.status),
		fleet.CmdTaskList:       typed(d.haveUnits, d.listUnits(fleet.KindTask)),
		fleet.CmdTaskStart:      typed(d.haveUnits, d.unitAction(fleet.KindTask, Units.StartNamed, isStarted)),
		fleet.CmdTaskStop:       typed(d.haveUnits, d.unitAction(fleet.KindTask, Units.StopNamed, isStopped)),
		fleet.CmdTaskRestart:    typed(d.haveUnits, d.unitAction(fleet.KindTask, Units.RestartNamed, isRestarted)),
		fleet.CmdServiceList:    typed(d.haveUnits, d.listUnits(fleet.KindService)),
		fleet.CmdServiceEnable:  typed(d.haveUnits, d.serviceToggle(Units.Enable, isStarted)),
		fleet.CmdServiceDisable: typed(d.haveUnits, d.serviceToggle(Units.Disable, isStopped)),
		fleet.CmdServiceRestart: typed(d.haveUnits, d.unitAction(fleet.KindService, Units.RestartNamed, isRestarted)),
		fleet.CmdLogs:           typed(d.haveJournal, d.logs),
		fleet.CmdLogFollow:      typed(d.haveJournal, d.logFollow),
		fleet.CmdScheduleList:   typed(d.haveSchedules, d.scheduleList),
		fleet.CmdScheduleAdd:    typed(d.haveSchedules, d.scheduleAdd),
		fleet.CmdScheduleRemove: typed(d.haveSchedules, d.scheduleAction(Schedules.Remove)),
		fleet.CmdSchedulePause:  typed(d.haveSchedules, d.scheduleAction(Schedules.Pause)),
		fleet.CmdScheduleResume: typed(d.haveSchedules, d.scheduleAction(Schedules.Resume)),
		fleet.CmdScheduleRun:    typed(d.haveSchedules, d.scheduleAction(Schedules.RunNow)),
		fleet.CmdSensorsRead:    typed(d.haveSensors, d.sensorsRead),
		fleet.CmdConfigGet:      typed(d.haveConfig, d.configGet),
		fleet.CmdAgentRestart:   typed(d.haveRestart, d.agentRestart),
		fleet.CmdOTAApply:       typed(d.haveOTA, d.otaApply),
		fleet.CmdOTAStatus:      typed(d.haveOTA, d.otaStatus),
	}
}

func unavailable(what string) error {
	return fleet.Errorf(fleet.CodeUnavailable, "this agent has no %s", what)
}

func have(ok bool, what string) error {
	if !ok {
		return unavailable(what)
	}
	return nil
}

func (d *Dispatcher) haveInfo() error      { return have(d.deps.Info != nil, "info") }
func (d *Dispatcher) haveStatus() error    { return have(d.deps.Status != nil, "status") }
func (d *Dispatcher) haveUnits() error     { return have(d.deps.Units != nil, "supervisor") }
func (d *Dispatcher) haveJournal() error   { return have(d.deps.Journal != nil, "journal") }
func (d *Dispatcher) haveSchedules() error { return have(d.deps.Schedules != nil, "scheduler") }
func (d *Dispatcher) haveSensors() error   { return have(d.deps.Sensors != nil, "sensors") }
func (d *Dispatcher) haveConfig() error    { return have(d.deps.Config != nil, "config") }
func (d *Dispatcher) haveRestart() error   { return have(d.deps.Restart != nil, "restart") }
func (d *Dispatcher) haveOTA() error {
	return have(d.deps.OTA != nil, "OTA (no ota.trusted_keys configured)")
}

func (d *Dispatcher) ping(context.Context, fleet.Request, none) (fleet.PingResult, error) {
	now := d.clock.Now()
	var version string
	if d.deps.Info != nil {
		version = d.deps.Info().Version
	}
	return fleet.PingResult{TS: now.UTC(), UptimeS: now.Sub(d.started).Seconds(), Version: version}, nil
}

func (d *Dispatcher) info(context.Context, fleet.Request, none) (fleet.InfoDoc, error) {
	return d.deps.Info(), nil
}

func (d *Dispatcher) status(context.Context, fleet.Request, none) (fleet.StatusResult, error) {
	return d.deps.Status(), nil
}

func (d *Dispatcher) listUnits(kind string) func(context.Context, fleet.Request, none) (fleet.UnitsResult, error) {
	return func(context.Context, fleet.Request, none) (fleet.UnitsResult, error) {
		return fleet.UnitsResult{Units: filterUnits(d.deps.Units.Units(), kind, nil)}, nil
	}
}

// unitAction resolves args.name once, to the exact names of the units of
// kind it matches (so a task pattern never touches a service), applies act
// to those names, waits (bounded, see waitSettled) until each unit
// reflects the action, and replies with the units as they are then.
func (d *Dispatcher) unitAction(kind string, act func(Units, ...string) error, settled settledFunc) func(context.Context, fleet.Request, fleet.NameArgs) (fleet.UnitsResult, error) {
	return func(ctx context.Context, req fleet.Request, a fleet.NameArgs) (fleet.UnitsResult, error) {
		if err := requireName(req, a); err != nil {
			return fleet.UnitsResult{}, err
		}
		names, err := d.deps.Units.Match(kind, a.Name)
		if err != nil {
			if d.protocolError(err).Code == fleet.CodeNotFound {
				return fleet.UnitsResult{}, fleet.Errorf(fleet.CodeNotFound, "no %s named %q", kind, clip(a.Name))
			}
			return fleet.UnitsResult{}, err
		}
		before := unitsByName(d.deps.Units.Units(), kind, names)
		if err := act(d.deps.Units, names...); err != nil {
			return fleet.UnitsResult{}, fmt.Errorf("%s %s: %w", req.Cmd, strings.Join(names, ","), err)
		}
		d.waitSettled(ctx, req, before, settled)
		return fleet.UnitsResult{Units: filterUnits(d.deps.Units.Units(), kind, names)}, nil
	}
}

func (d *Dispatcher) serviceToggle(act func(Units, string) error, settled settledFunc) func(context.Context, fleet.Request, fleet.NameArgs) (fleet.UnitsResult, error) {
	return d.unitAction(fleet.KindService, func(u Units, names ...string) error {
		for _, n := range names {
			if err := act(u, n); err != nil {
				return err
			}
		}
		return nil
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
