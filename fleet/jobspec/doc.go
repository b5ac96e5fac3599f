// Package jobspec is the shape and the checks of scheduled jobs as people
// write them in YAML: the agent's config file and the fleet's group
// documents (fleet/groups) both use it, so `agent check-config`, `fleetctl
// apply` and the agent applying a group refuse a job with the same words.
// It also holds what those checks report: Problems located by line.
package jobspec
