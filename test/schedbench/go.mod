module github.com/drover-iot/drover/test/schedbench

go 1.26.8

require (
	github.com/drover-iot/drover v0.0.0
	github.com/go-co-op/gocron/v2 v2.21.2
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/jonboulle/clockwork v0.5.0 // indirect
	github.com/robfig/cron/v3 v3.0.1 // indirect
	golang.org/x/sys v0.48.0 // indirect
)

replace github.com/drover-iot/drover => ../..
