// Package scheduler runs named jobs on schedules from one goroutine over a
// min-heap of due times: overlap and catch-up policies, per-run timeouts,
// persistence of the job set, and precise firing. The schedule language
// itself (parsing, next-run maths, DST) is package scheduler/schedule.
package scheduler
