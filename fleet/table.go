package fleet

import (
	"reflect"
	"slices"
)

// Command names of protocol v1.
const (
	CmdPing           = "ping"
	CmdInfo           = "info"
	CmdStatus         = "status"
	CmdTaskList       = "task.list"
	CmdTaskStart      = "task.start"
	CmdTaskStop       = "task.stop"
	CmdTaskRestart    = "task.restart"
	CmdServiceList    = "service.list"
	CmdServiceEnable  = "service.enable"
	CmdServiceDisable = "service.disable"
	CmdServiceRestart = "service.restart"
	CmdLogs           = "logs"
	CmdLogFollow      = "log.follow"
	CmdScheduleList   = "schedule.list"
	CmdScheduleAdd    = "schedule.add"
	CmdScheduleRemove = "schedule.remove"
	CmdSchedulePause  = "schedule.pause"
	CmdScheduleResume = "schedule.resume"
	CmdScheduleRun    = "schedule.run"
	CmdSensorsRead    = "sensors.read"
	CmdConfigGet      = "config.get"
	CmdAgentRestart   = "agent.restart"
	CmdOTAApply       = "ota.apply"
	CmdOTAStatus      = "ota.status"
)

// Role is the least role a signed command needs (viewer < operator <
// admin). Roles are stable strings: they appear in device configuration.
type Role string

// Roles, from least to most trusted.
const (
	RoleViewer   Role = "viewer"
	RoleOperator Role = "operator"
	RoleAdmin    Role = "admin"
)

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r == RoleViewer || r == RoleOperator || r == RoleAdmin }

// Includes reports whether r may do what need may do: admin includes
// operator, operator includes viewer. An unknown role includes nothing.
func (r Role) Includes(need Role) bool {
	rank := map[Role]int{RoleViewer: 1, RoleOperator: 2, RoleAdmin: 3}
	return rank[r] > 0 && rank[r] >= rank[need]
}

// Capability is a feature a device may lack; a command is offered (listed
// in the birth document's capabilities) only by devices that have its
// capability.
type Capability string

// Capabilities.
const (
	// CapCore is what every agent offers.
	CapCore Capability = "core"
	// CapOTA is offered by agents configured with trusted OTA keys.
	CapOTA Capability = "ota"
)

// CommandSpec describes one command of the protocol: docs/PROTOCOL.md has
// a section for it, the agent's dispatcher a handler, fleetctl a path.
type CommandSpec struct {
	// Name is the request's cmd.
	Name string
	// Args is the type of the request's args; nil when it takes none.
	Args reflect.Type
	// Result is the type of the reply's result; nil when it has no Go
	// type in this package.
	Result reflect.Type
	// Capability is the feature a device needs to offer the command.
	Capability Capability
	// Role is the least role that may send the command once commands are
	// signed.
	Role Role
}

func spec[A, R any](name string, c Capability, r Role) CommandSpec {
	return CommandSpec{Name: name, Args: typeOf[A](), Result: typeOf[R](), Capability: c, Role: r}
}

// none stands for "no args" or "no result type" in the table.
type none struct{}

func typeOf[T any]() reflect.Type {
	t := reflect.TypeFor[T]()
	if t == reflect.TypeFor[none]() {
		return nil
	}
	return t
}

// commandTable is the one list of v1 commands, in protocol order.
var commandTable = []CommandSpec{
	spec[none, PingResult](CmdPing, CapCore, RoleViewer),
	spec[none, InfoDoc](CmdInfo, CapCore, RoleViewer),
	spec[none, StatusResult](CmdStatus, CapCore, RoleViewer),
	spec[none, UnitsResult](CmdTaskList, CapCore, RoleOperator),
	spec[TaskArgs, UnitsResult](CmdTaskStart, CapCore, RoleOperator),
	spec[TaskArgs, UnitsResult](CmdTaskStop, CapCore, RoleOperator),
	spec[TaskArgs, UnitsResult](CmdTaskRestart, CapCore, RoleOperator),
	spec[none, UnitsResult](CmdServiceList, CapCore, RoleOperator),
	spec[ServiceArgs, UnitsResult](CmdServiceEnable, CapCore, RoleOperator),
	spec[ServiceArgs, UnitsResult](CmdServiceDisable, CapCore, RoleOperator),
	spec[ServiceArgs, UnitsResult](CmdServiceRestart, CapCore, RoleOperator),
	spec[LogsArgs, LogsResult](CmdLogs, CapCore, RoleViewer),
	spec[FollowArgs, FollowResult](CmdLogFollow, CapCore, RoleViewer),
	spec[none, JobsResult](CmdScheduleList, CapCore, RoleViewer),
	spec[ScheduleAddArgs, JobsResult](CmdScheduleAdd, CapCore, RoleOperator),
	spec[NameArgs, JobsResult](CmdScheduleRemove, CapCore, RoleOperator),
	spec[NameArgs, JobsResult](CmdSchedulePause, CapCore, RoleOperator),
	spec[NameArgs, JobsResult](CmdScheduleResume, CapCore, RoleOperator),
	spec[NameArgs, JobsResult](CmdScheduleRun, CapCore, RoleOperator),
	spec[SensorsArgs, SensorsResult](CmdSensorsRead, CapCore, RoleViewer),
	spec[none, ConfigResult](CmdConfigGet, CapCore, RoleAdmin),
	spec[none, AckResult](CmdAgentRestart, CapCore, RoleAdmin),
	spec[OTAApplyArgs, OTAStatus](CmdOTAApply, CapOTA, RoleAdmin),
	spec[none, OTAStatus](CmdOTAStatus, CapOTA, RoleViewer),
}

// CommandTable returns every v1 command, in protocol order.
func CommandTable() []CommandSpec { return slices.Clone(commandTable) }

// LookupCommand returns the spec of the command named name.
func LookupCommand(name string) (CommandSpec, bool) {
	i := slices.IndexFunc(commandTable, func(s CommandSpec) bool { return s.Name == name })
	if i < 0 {
		return CommandSpec{}, false
	}
	return commandTable[i], true
}

// Commands lists every v1 command name, in protocol order.
func Commands() []string {
	names := make([]string, len(commandTable))
	for i, s := range commandTable {
		names[i] = s.Name
	}
	return names
}

// Offered lists, in protocol order, the names of the commands a device
// with the given capabilities offers: its birth document's capabilities.
func Offered(caps ...Capability) []string {
	var names []string
	for _, s := range commandTable {
		if slices.Contains(caps, s.Capability) {
			names = append(names, s.Name)
		}
	}
	return names
}
