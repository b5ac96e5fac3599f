package control

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/drover-iot/drover/fleet"
)

func (d *Dispatcher) scheduleList(context.Context, fleet.Request, none) (fleet.JobsResult, error) {
	return fleet.JobsResult{Jobs: nonNil(d.deps.Schedules.Jobs())}, nil
}

// scheduleAdd adds a schedule that runs a job the device itself defines:
// the job name is looked up, never evaluated.
func (d *Dispatcher) scheduleAdd(_ context.Context, _ fleet.Request, a fleet.ScheduleAddArgs) (fleet.JobsResult, error) {
	s := d.deps.Schedules
	if a.Name == "" || a.Spec == "" || a.Job == "" {
		return fleet.JobsResult{}, fleet.Errorf(fleet.CodeBadRequest, "schedule.add needs args.name, args.spec and args.job")
	}
	if !s.HasJob(a.Job) {
		return fleet.JobsResult{}, fleet.Errorf(fleet.CodeNotFound, "no job or handler named %q on this device", clip(a.Job))
	}
	if err := s.Add(a); err != nil {
		return fleet.JobsResult{}, fmt.Errorf("schedule.add %s: %w", a.Name, err)
	}
	return fleet.JobsResult{Jobs: jobsNamed(s.Jobs(), []string{a.Name})}, nil
}

// scheduleAction applies act to every job matching args.name ('*'
// wildcards, path.Match syntax, as for tasks) and returns those jobs.
func (d *Dispatcher) scheduleAction(act func(Schedules, string) error) func(context.Context, fleet.Request, fleet.NameArgs) (fleet.JobsResult, error) {
	return func(_ context.Context, req fleet.Request, a fleet.NameArgs) (fleet.JobsResult, error) {
		s := d.deps.Schedules
		if err := requireName(req, a); err != nil {
			return fleet.JobsResult{}, err
		}
		names, err := matchJobs(s.Jobs(), a.Name)
		if err != nil {
			return fleet.JobsResult{}, err
		}
		for _, n := range names {
			if err := act(s, n); err != nil {
				return fleet.JobsResult{}, fmt.Errorf("%s %s: %w", req.Cmd, n, err)
			}
		}
		return fleet.JobsResult{Jobs: jobsNamed(s.Jobs(), names)}, nil
	}
}

// matchJobs returns the names of the jobs matching pattern; a name
// without wildcards is returned as is (the scheduler reports it missing).
func matchJobs(all []fleet.Job, pattern string) ([]string, error) {
	if !strings.ContainsAny(pattern, "*?[") {
		return []string{pattern}, nil
	}
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, fleet.Errorf(fleet.CodeBadRequest, "bad pattern %q: %v", clip(pattern), err)
	}
	var names []string
	for _, j := range all {
		if ok, _ := path.Match(pattern, j.Name); ok {
			names = append(names, j.Name)
		}
	}
	if len(names) == 0 {
		return nil, fleet.Errorf(fleet.CodeNotFound, "no job matches %q", clip(pattern))
	}
	return names, nil
}

func jobsNamed(all []fleet.Job, names []string) []fleet.Job {
	out := []fleet.Job{}
	for _, j := range all {
		if slices.Contains(names, j.Name) {
			out = append(out, j)
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (d *Dispatcher) sensorsRead(ctx context.Context, _ fleet.Request, a fleet.SensorsArgs) (fleet.SensorsResult, error) {
	rs, err := d.deps.Sensors.Read(ctx, a.Sensor)
	if err != nil {
		return fleet.SensorsResult{}, fmt.Errorf("sensors.read %s: %w", a.Sensor, err)
	}
	return fleet.SensorsResult{Readings: nonNil(rs)}, nil
}

func (d *Dispatcher) configGet(context.Context, fleet.Request, none) (fleet.ConfigResult, error) {
	return fleet.ConfigResult{Config: d.deps.Config()}, nil
}

// agentRestart acknowledges; Handle calls Deps.Restart once the reply is queued.
func (d *Dispatcher) agentRestart(context.Context, fleet.Request, none) (fleet.AckResult, error) {
	return fleet.AckResult{Message: "restarting"}, nil
}
