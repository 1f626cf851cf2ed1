# carriersim: `make run` compares closed and open access on the embedded default scenario; `make test` runs
# every test. Benchmarks are measurements, never pass/fail gates.
GO ?= go
SHARED ?= ../shared/data

.PHONY: build run test test-short check bench bench-micro bench-vrp bench-vrp-solomon bench-vrp-h200 bench-vrp-h1000 bench-homberger pgo

build:
	$(GO) build -buildvcs=auto -o carriersim ./cmd/carriersim

run:
	$(GO) run ./cmd/carriersim compare

test:
	$(GO) test -count=1 ./...

# The fast loop while editing: the same tests with the slow end-to-end cases cut down (-short); under 45 s
# on 2 cores. `make test` is what CI runs.
test-short:
	$(GO) test -count=1 -short ./...

# What CI runs besides the tests: formatting and vet.
check:
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

# The compare pipeline at 10k, 100k, 1M and 10M orders, one child process per size: wall time per phase,
# orders/s, time per order and peak RSS (bench/RESULTS.md). BENCHFLAGS passes flags, e.g. -sizes 10k,100k.
bench:
	$(GO) run ./bench/scale $(BENCHFLAGS)

# Go micro-benchmarks: ledger, spatial index, router moves.
bench-micro:
	$(GO) test -run '^$$' -bench . -benchmem ./dispatch/... ./geo/...

# The VRPTW benchmarks against best-known solutions, two instances at a time (one single-threaded solve per
# core), each solution checked independently: Solomon at 1 s per instance (gap to the best distance with any
# fleet), Gehring-Homberger 200 customers at 5 s and 1,000 customers (*_10_1) at 30 s, both minimising
# vehicles first as their BKS do. About 3 minutes.
BKSRUN = $(GO) test ./dispatch/route -run TestBKS -count=1 -v -timeout 0 -bks -jobs 2

bench-vrp: bench-vrp-solomon bench-vrp-h200 bench-vrp-h1000

bench-vrp-solomon:
	@$(BKSRUN) -bksdir $(abspath $(SHARED))/solomon -set solomon -timelimit 1s

bench-vrp-h200:
	@$(BKSRUN) -bksdir $(abspath $(SHARED))/homberger -set homberger200 -match '_2_' -minveh -timelimit 5s

bench-vrp-h1000:
	@$(BKSRUN) -bksdir $(abspath $(SHARED))/homberger -set homberger1000 -match '_10_' -minveh -timelimit 30s

# Both Gehring-Homberger sets.
bench-homberger: bench-vrp-h200 bench-vrp-h1000

# Profile-guided optimisation: cmd/carriersim/default.pgo and bench/scale/default.pgo are a CPU profile of the
# default compare, which `go build` and `go run` of those programs use (about 2% less CPU; output unchanged).
# Regenerate after large changes to the hot paths (the profile is taken from a build without it).
pgo:
	$(GO) build -pgo=off -o carriersim-nopgo ./cmd/carriersim
	./carriersim-nopgo --cpuprofile cmd/carriersim/default.pgo compare >/dev/null
	cp cmd/carriersim/default.pgo bench/scale/default.pgo
	rm carriersim-nopgo
