// Package supervise runs named Go tasks and services under supervision:
// start, stop, restart and delete by name or wildcard, restart policies with
// exponential backoff and a burst limit, a heartbeat watchdog, dependency
// ordered boot of services with persisted enable/disable, and per-unit
// profiling. It is the device-side equivalent of asyncmd's aioctl and
// aioservice.
package supervise
