package desired

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/drover-iot/drover/fleet/groups"
	"github.com/drover-iot/drover/fleet/jobspec"
	"github.com/drover-iot/drover/scheduler"
)

// TagGroup marks the jobs groups manage; each also carries
// TagGroupPrefix+<group name>. Jobs without it (config, schedule add) are
// never touched by the converger.
const (
	TagGroup       = "group"
	TagGroupPrefix = "group:"
)

// owned is a job or service setting and the group it comes from.
type owned[T any] struct {
	group string
	v     T
}

// merged is the union of several groups.
type merged struct {
	jobs      map[string]owned[jobspec.Job]
	services  map[string]owned[bool]
	conflicts []string
}

// union merges gs in file order (Order, then name): a later group wins a
// job or service that an earlier one sets too, and the clash is listed.
func union(gs map[string]groups.Group) merged {
	list := slices.SortedFunc(maps.Values(gs), func(a, b groups.Group) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.Name, b.Name))
	})
	m := merged{jobs: map[string]owned[jobspec.Job]{}, services: map[string]owned[bool]{}}
	for _, g := range list {
		for _, j := range g.Jobs {
			if prev, ok := m.jobs[j.Name]; ok {
				m.conflicts = append(m.conflicts, fmt.Sprintf("job %s: group %s overrides group %s", j.Name, g.Name, prev.group))
			}
			m.jobs[j.Name] = owned[jobspec.Job]{g.Name, j}
		}
		for _, name := range slices.Sorted(maps.Keys(g.Services)) {
			if prev, ok := m.services[name]; ok {
				m.conflicts = append(m.conflicts, fmt.Sprintf("service %s: group %s overrides group %s", name, g.Name, prev.group))
			}
			m.services[name] = owned[bool]{g.Name, *g.Services[name].Enabled}
		}
	}
	return m
}

func sameJob(a, b owned[jobspec.Job]) bool { return a.group == b.group && reflect.DeepEqual(a.v, b.v) }

// JobDef is the scheduler's definition of job j running handler, with tags
// (the agent's config jobs use it too).
func JobDef(j jobspec.Job, handler string, tags []string) scheduler.JobDef {
	return scheduler.JobDef{Name: j.Name, Spec: j.Schedule, Handler: handler, Args: j.Args, Tags: tags,
		Overlap: scheduler.Overlap(j.Overlap), MaxConcurrent: j.MaxConcurrent,
		Timeout: scheduler.Duration(j.Timeout.D()), CatchUp: scheduler.CatchUp(j.CatchUp)}
}

// groupJobDef is the definition of a job of group.
func groupJobDef(group string, j jobspec.Job) scheduler.JobDef {
	tags := []string{TagGroup, TagGroupPrefix + group}
	for _, t := range j.Tags {
		if t != TagGroup && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	return JobDef(j, j.Handler, tags)
}
