module github.com/drover-iot/drover/test/sensorbench

go 1.26.8

require (
	github.com/drover-iot/drover v0.0.0
	github.com/jonboulle/clockwork v0.5.0
	github.com/prometheus/procfs v0.22.0
)

require (
	golang.org/x/sync v0.23.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
	periph.io/x/conn/v3 v3.7.2 // indirect
)

replace github.com/drover-iot/drover => ../..
