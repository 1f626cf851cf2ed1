# carriersim: `make run` compares closed and open access on the embedded default scenario; `make test` runs
# every test. Benchmarks are measurements, never pass/fail gates.
GO ?= go
SHARED ?= ../shared/data

.PHONY: build run test check bench bench-micro bench-vrp bench-homberger

build:
	$(GO) build -o carriersim ./cmd/carriersim

run:
	$(GO) run ./cmd/carriersim compare

test:
	$(GO) test -count=1 ./...

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

# Solomon VRPTW instances against best-known distances, 1 s per instance.
bench-vrp:
	$(GO) test ./dispatch/route -run TestBKS -count=1 -v -bks -bksdir $(abspath $(SHARED))/solomon -timelimit 1s

# Gehring-Homberger 200-customer instances at 5 s.
bench-homberger:
	$(GO) test ./dispatch/route -run TestBKS -count=1 -v -timeout 0 -bks -bksdir $(abspath $(SHARED))/homberger -only c1_2_1,c2_2_1,r1_2_1,r2_2_1,rc1_2_1,rc2_2_1 -timelimit 5s
