# Drover build and test entry points. `make test` is what CI runs.
GO      ?= go
BIN     := bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
# BUILD is the monotonic OTA build number: a device only takes a higher one.
BUILD   ?= $(shell git rev-list --count HEAD 2>/dev/null || echo 0)
LDFLAGS := -s -w -X github.com/drover-iot/drover/internal/version.Version=$(VERSION) \
           -X github.com/drover-iot/drover/internal/version.Commit=$(COMMIT) \
           -X github.com/drover-iot/drover/internal/version.Build=$(BUILD)

.PHONY: all build dist test test-deps vet compose-check bench fuzz clean

# Release artifacts (docs/packaging.md): reproducible static binaries for every
# platform, .deb packages, SHA256SUMS and, with MINISIGN_KEY=path/to/secret.key,
# its minisign signature. Two runs on one commit give the same bytes.
DIST      ?= dist
PLATFORMS ?= linux/amd64 linux/arm64 linux/arm
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
MINISIGN_KEY ?=

all: build

# Static binaries: no libc pages mapped, which keeps the agent's idle RSS low.
build:
	CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/...

dist:
	rm -rf $(DIST)
	GO='$(GO)' DIST='$(DIST)' PLATFORMS='$(PLATFORMS)' VERSION='$(VERSION)' COMMIT='$(COMMIT)' \
	BUILD='$(BUILD)' SOURCE_DATE_EPOCH='$(SOURCE_DATE_EPOCH)' MINISIGN_KEY='$(MINISIGN_KEY)' \
	./scripts/dist.sh

test-deps:
	./scripts/test-deps.sh

vet:
	$(GO) vet ./...

# The demo topology must stay a valid compose file (no Docker engine needed).
compose-check:
	docker-compose config -q
	promtool check config --syntax-only docker/prometheus/prometheus.yml >/dev/null
	promtool check rules docker/prometheus/rules.yml >/dev/null
	promtool test rules docker/prometheus/rules_test.yml >/dev/null

# The whole suite: unit, integration and end-to-end tests under the race detector.
test: test-deps vet compose-check
	$(GO) test -race -count=1 -timeout 20m ./...
	# Allocation counts are meaningless under -race (sync.Pool drops items): run them plain.
	$(GO) test -count=1 -run '^TestAllocs$$' ./agent/journal/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf $(BIN) $(DIST)
