// Package schedbench compares Drover's scheduler with
// github.com/go-co-op/gocron/v2 on the same workloads, on the real clock:
// lateness of firings with many active interval jobs, heap bytes per
// scheduled job, and CPU time used while idle. It is a separate module so
// that gocron never becomes a dependency of Drover itself.
//
//	cd test/schedbench && go test -run '^$' -bench . -benchtime 1x -count 5 -idle 60s
package schedbench
