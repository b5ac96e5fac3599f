// Package desired converges a device to the fleet's groups (fleet/groups):
// it verifies each group document received, keeps those whose selector
// matches the device's labels, checks them with the code of agent
// check-config plus what only the device knows (its handlers, services and
// other jobs), and applies their union all or nothing: group jobs in the
// scheduler (tagged TagGroup), services enabled or disabled. A service a
// group enabled that fails to boot within the boot window rolls the change
// back. The last good applied state is kept on disk, and what the device
// applied is reported (fleet.Reported). One goroutine, Run, owns the state.
package desired
