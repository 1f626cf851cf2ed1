package dispatch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/replay"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// GCPercent is the garbage collector's target (GOGC) the carriersim programs set unless the environment
// sets GOGC: a run's heap is mostly long-lived state of the orders in flight, and the router's garbage is
// short-lived, so letting the heap grow 25% above its live data between collections instead of Go's 100%
// cuts peak memory by about a third for about 1% more CPU (bench/RESULTS.md). A library never sets it.
const GCPercent = 25

// ErrInput marks an error caused by the input (the scenario, the options or the replayed orders) rather
// than by the run: the CLI exits 2 for it.
var ErrInput = errors.New("bad input")

// inputError wraps an error caused by the input; its message is the wrapped error's.
type inputError struct{ err error }

func (e *inputError) Error() string        { return e.err.Error() }
func (e *inputError) Unwrap() error        { return e.err }
func (e *inputError) Is(target error) bool { return target == ErrInput }

func badInput(format string, args ...any) error {
	return &inputError{fmt.Errorf(format, args...)}
}

// Options say what to compare and how. Only Scenario and Policies are required.
type Options struct {
	// Scenario is a loaded scenario (scenario.Load). Compare does not modify it.
	Scenario *scenario.Scenario
	// Policies names the policies to run, in report order; every one sees the same orders.
	Policies []string
	// Seed seeds the order stream and the router; the same seed gives the same result byte for byte.
	Seed uint64
	// Orders, when positive, is the design volume in orders a day: the networks are sized for it and the
	// simulated day has Orders times the scenario's peak multiplier. 0 keeps the scenario's demand.orders
	// (for a replay: the replay's orders per day, at peak multiplier 1).
	Orders int
	// Replay, when not nil, replaces the generated day by these replayed orders (replay.ReadFile).
	// ReplayFile names their file in messages and the report; ReplayPlatform is the platform of records
	// that name none (LaDe's), "taobao" when empty.
	Replay         *replay.Result
	ReplayFile     string
	ReplayPlatform string
	// Workers bounds the cores used (0: GOMAXPROCS). The result does not depend on it.
	Workers int
	// MaxMemory, when positive, refuses before any work a run whose EstimateMemory is above it (bytes).
	MaxMemory int64
	// Progress, when not nil, is called about every ProgressInterval (250 ms when zero) while the
	// policies run, and once at the end, with each policy's orders that reached their final state. It is
	// called from one goroutine at a time.
	Progress         func(policy string, done, total int64)
	ProgressInterval time.Duration
	// Shift, when not empty, names one of the scenario's demand shifts: every policy's orders are drawn
	// from the shifted demand while the networks stay as built for the scenario's own (generated orders only).
	Shift string
	// ReleaseOrders folds each order into the report once it is final and then drops its outcome and
	// bookings, and drops every route once folded (sim.Options.Release): memory grows with the orders in
	// flight instead of the day. The report is byte for byte the same; the Comparison's Runs then have no
	// Outcomes, Routes or Finished, so the outputs that draw orders or routes (GeoJSON, trips, orders.csv,
	// routes.csv, the HTML page, the run folder) are written as the run goes, by observers (Observe:
	// report.Stream, htmlreport.LatencySink), or read a run without it.
	ReleaseOrders bool
	// Partials also folds each policy into its mergeable result (Comparison.Partials: counts, sums and
	// latency sketches, for dispatch/shard), as its orders finish; the report is the same.
	Partials bool
	// Observe, when not nil, is called once for each policy (its index in Policies) once the world and the
	// order stream are made, before any policy runs. The sink it returns, if not nil, receives that policy's
	// orders as they reach their final state and its routes as they are recorded (sim.Sink), after the
	// report's tally, on the policy's goroutine (policies run concurrently), in the run's deterministic
	// order. With ReleaseOrders this is how outputs that draw orders and routes are written while memory
	// stays bounded by the orders in flight (report.Stream). An error stops Compare before any policy runs.
	// Replicate observes replication 0 only.
	Observe func(c *Comparison, policy int) (sim.Sink, error)
}

// Comparison is the result of running several policies on one order stream.
type Comparison struct {
	// Scenario is the scenario as simulated (design volume set from Options.Orders or the replay).
	Scenario *scenario.Scenario
	World    *sim.World
	Seed     uint64
	// Orders is the stream every policy ran: warm-up installs, then the day's orders.
	Orders []sim.Order
	// Start is minute 0 of a replay (midnight before its earliest order, in the file's zone); zero otherwise.
	Start time.Time
	// Policies are the policies run, in report order (set before they run, for Options.Observe).
	Policies []*scenario.Policy
	Runs     []*sim.Run
	Report   metrics.Report
	// Partials are the policies' mergeable results, in policy order (Options.Partials; nil otherwise).
	Partials []metrics.PolicyPartial
	Timings  Timings
	// replayed is how many of Orders are replayed (the rest of a replay is background, see sim.ReplayBackground).
	replayed int
}

// Timings is the wall time of each phase of Compare.
type Timings struct {
	// World builds the networks; Orders generates (or converts) the order stream; Simulate runs every
	// policy, concurrently, and summarises them.
	World, Orders, Simulate time.Duration
}

// Compare builds the world of opt.Scenario, generates one order stream for opt.Seed (or takes the
// replayed orders) and simulates each policy on it. Errors caused by the input wrap ErrInput.
func Compare(ctx context.Context, opt Options) (*Comparison, error) {
	if opt.Scenario == nil {
		return nil, badInput("no scenario given")
	}
	if len(opt.Policies) == 0 {
		return nil, badInput("no policy given: expected at least one policy name")
	}
	if opt.Orders < 0 || opt.Orders > scenario.MaxOrders {
		return nil, badInput("orders: expected a number of orders a day within [1, %d], found %d", scenario.MaxOrders, opt.Orders)
	}
	if opt.Replay != nil {
		if err := checkReplaySpan(opt.ReplayFile, opt.Replay.Records); err != nil {
			return nil, err
		}
	}
	sc := *opt.Scenario // a copy: the design volume may change
	pols, err := sc.PoliciesNamed(opt.Policies)
	if err != nil {
		return nil, &inputError{err}
	}
	demand := &sc
	if opt.Shift != "" {
		if opt.Replay != nil {
			return nil, badInput("shift %s: a demand shift applies to generated orders, not to a replay", opt.Shift)
		}
		if demand, err = sc.Shifted(opt.Shift); err != nil {
			return nil, &inputError{err}
		}
	}
	switch {
	case opt.Orders > 0:
		// The networks scale with demand: stations and fleets are sized from the order count.
		sc.Demand.Orders = opt.Orders
	case opt.Replay != nil && len(opt.Replay.Records) > 0:
		sc.Demand.Orders = max(1, int(math.Round(busyDay(opt.Replay.Records)*max(1, sc.Demand.ReplayScale))))
		sc.Demand.PeakMultiplier = 1
	}
	if err := checkMemory(&sc, opt); err != nil {
		return nil, err
	}
	c := &Comparison{Scenario: &sc, Seed: opt.Seed}
	t := time.Now()
	w, err := sim.NewWorld(&sc)
	if err != nil {
		return nil, badInput("scenario %s: %w", sc.Name, err)
	}
	c.World = w
	c.Timings.World = time.Since(t)

	t = time.Now()
	if opt.Replay != nil {
		if err := c.replayOrders(opt); err != nil {
			return nil, err
		}
	} else {
		if opt.Orders > 0 {
			demand.Demand.Orders = opt.Orders
		}
		c.Orders = sim.OrderStream(w.WithDemand(demand), opt.Seed, demand.DayOrders())
	}
	c.Timings.Orders = time.Since(t)

	t = time.Now()
	if err := c.simulate(ctx, pols, opt); err != nil {
		return nil, err
	}
	c.Timings.Simulate = time.Since(t)
	if opt.Replay != nil {
		c.Report.Replay = &metrics.ReplayInfo{File: filepath.Base(opt.ReplayFile), Format: opt.Replay.Format,
			Start: c.Start.Format(time.RFC3339), Orders: c.replayed, Skipped: opt.Replay.Skipped, Problems: opt.Replay.Problems,
			Background: len(c.Orders) - c.replayed}
	}
	return c, nil
}

// World builds the world of a loaded scenario at a design volume of orders a day (0: the scenario's own), as
// Compare does: the same networks, stations and fleets.
func World(sc *scenario.Scenario, orders int) (*sim.World, error) {
	c := *sc
	if orders > 0 {
		c.Demand.Orders = orders
	}
	w, err := sim.NewWorld(&c)
	if err != nil {
		return nil, badInput("scenario %s: %w", sc.Name, err)
	}
	return w, nil
}

// Validate checks a loaded scenario as a run would: it builds the scenario's world once, which finds what
// the file alone cannot show (district names missing from the polygons, an unknown prefecture city).
func Validate(sc *scenario.Scenario) error {
	if _, err := sim.NewWorld(sc); err != nil {
		return badInput("%w", err)
	}
	return nil
}

// replayOrders turns the replayed records into the comparison's orders.
func (c *Comparison) replayOrders(opt Options) error {
	platform := opt.ReplayPlatform
	if platform == "" {
		platform = "taobao"
	}
	orders, start, err := sim.OrdersFromRecords(c.World, opt.ReplayFile, opt.Replay.Records, platform)
	if err != nil {
		return &inputError{err}
	}
	inside := 0
	for _, o := range orders {
		if o.Zone >= 0 {
			inside++
		}
	}
	if inside == 0 {
		return badInput("%s: none of its %d destinations lies in scenario %s's city (%s): use a scenario for that city",
			opt.ReplayFile, len(orders), c.Scenario.Name, c.Scenario.City.Name)
	}
	c.Orders, c.Start, c.replayed = orders, start, len(orders)
	// Replayed rows that are a sample of their days run among generated background parcels (the scenario's
	// demand.replay_scale), which come after them: orders[i] is still made from the i-th record.
	c.Orders = append(c.Orders, sim.ReplayBackground(c.World, orders, c.Scenario.Demand.ReplayScale, opt.Seed)...)
	return nil
}

// simulate runs the policies concurrently, sharing the cores; the world and the orders are only read, and
// every run's result is independent of how many workers it had, so the report is the same as a one-core
// run's.
func (c *Comparison) simulate(ctx context.Context, pols []*scenario.Policy, opt Options) error {
	c.Policies = pols
	c.Runs = make([]*sim.Run, len(pols))
	c.Report = metrics.Report{Scenario: c.Scenario.Name, Seed: c.Seed, Policies: make([]metrics.PolicyReport, len(pols)),
		ScenarioSHA256: c.Scenario.SHA256(), LatencyQuantiles: metrics.LatencyExact}
	if opt.Partials {
		c.Partials = make([]metrics.PolicyPartial, len(pols))
	}
	progress := make([]*sim.Progress, len(pols))
	for i := range progress {
		progress[i] = &sim.Progress{}
	}
	stop := reportProgress(opt, progress)
	defer stop()
	cores := opt.Workers
	if cores <= 0 {
		cores = runtime.GOMAXPROCS(0)
	}
	workers := max(1, cores/len(pols))
	errs := make([]error, len(pols))
	observed := make([]sim.Sink, len(pols))
	if opt.Observe != nil {
		for i := range pols {
			var err error
			if observed[i], err = opt.Observe(c, i); err != nil {
				return err
			}
		}
	}
	var wg sync.WaitGroup
	for i, p := range pols {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The tally folds every order as it finishes, released or not, so both give the same report.
			tally := metrics.NewTally(c.World)
			if opt.Partials {
				tally = metrics.NewPartialTally(c.World)
			}
			var sink sim.Sink = tally
			if observed[i] != nil {
				sink = sim.Sinks{tally, observed[i]}
			}
			run, err := sim.Simulate(ctx, c.World, p, c.Orders, c.Seed, sim.Options{Workers: workers, Progress: progress[i],
				Sink: sink, Release: opt.ReleaseOrders})
			if err != nil {
				errs[i] = fmt.Errorf("policy %s: %w", p.Name, err)
				return
			}
			c.Runs[i] = run
			c.Report.Policies[i] = tally.Report(run)
			if opt.Partials {
				c.Partials[i] = tally.Partial(run)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err // the first policy's, for one sentence
		}
	}
	metrics.CompareCarriers(&c.Report)
	if c.Scenario.SimDays() > 1 && opt.Replay == nil {
		c.Report.Days = c.Scenario.ReportedDays()
	}
	c.Report.Shift = opt.Shift
	return nil
}

// reportProgress calls opt.Progress every interval until the returned stop is called, which reports once
// more and waits for the reporter to end.
func reportProgress(opt Options, progress []*sim.Progress) (stop func()) {
	if opt.Progress == nil {
		return func() {}
	}
	every := opt.ProgressInterval
	if every <= 0 {
		every = 250 * time.Millisecond
	}
	report := func() {
		for i, p := range progress {
			done, total := p.Done()
			opt.Progress(opt.Policies[i], done, total)
		}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				report()
				return
			case <-tick.C:
				report()
			}
		}
	}()
	return func() { close(done); <-finished }
}

// MaxReplayDays bounds the calendar days a replay's orders may span: the simulation keeps capacity slots
// for every day from the first order's to the last's, so a file with one row from 1970 and one from 2030
// would otherwise ask for decades of slots.
const MaxReplayDays = 400

// checkReplaySpan refuses a replay whose orders span more than MaxReplayDays days.
func checkReplaySpan(file string, recs []replay.Record) error {
	if len(recs) == 0 {
		return nil
	}
	first, last := recs[0].Created, recs[0].Created
	for _, r := range recs {
		if r.Created.Before(first) {
			first = r.Created
		}
		if r.Created.After(last) {
			last = r.Created
		}
	}
	if days := last.Sub(first).Hours() / 24; days > MaxReplayDays {
		return badInput("%s: its orders span %.0f days (%s to %s): expected at most %d days in one run",
			file, days, first.Format("2006-01-02"), last.Format("2006-01-02"), MaxReplayDays)
	}
	return nil
}

// EstimateMemory is the peak memory, in bytes, that a run of dayOrders orders and the given number of
// policies is expected to need when it keeps its orders (no Options.ReleaseOrders): every order is kept
// until the run ends, about 200 bytes for the order and
// 600 per policy for its outcome, routes and ledger share, plus 12% for warm-up installs and 200 MiB for
// the networks and the runtime. A model of the measurements in bench/RESULTS.md (1,445 MiB peak at 1M
// orders and two policies), rounded up so that it errs on the safe side.
func EstimateMemory(dayOrders, policies int) int64 {
	return 200<<20 + int64(float64(dayOrders)*1.12*(200+600*float64(policies)))
}

// EstimateMemoryReleased is EstimateMemory for a run that releases its orders (Options.ReleaseOrders):
// the order stream (72 bytes an order) and, per policy, the flights of the orders in flight (most of a
// day's), their indices, slot lists and ledger share, with the garbage collector's headroom (TuneGC): 100 MiB
// + 1.12 × orders × (80 + 50 × policies) bytes. A model of bench/RESULTS.md (two policies: 243 MiB at 1M
// orders, 3,603 MiB at 20M), rounded up to err on the safe side (292 MiB and 3.8 GiB).
func EstimateMemoryReleased(dayOrders, policies int) int64 {
	return 100<<20 + int64(float64(dayOrders)*1.12*(80+50*float64(policies)))
}

// checkMemory refuses a run that would not fit in opt.MaxMemory, saying how many orders would.
func checkMemory(sc *scenario.Scenario, opt Options) error {
	if opt.MaxMemory <= 0 {
		return nil
	}
	n := sc.DayOrders() * sc.SimDays()
	if opt.Replay != nil {
		n = int(float64(len(opt.Replay.Records)) * max(1, sc.Demand.ReplayScale))
	}
	need := EstimateMemory(n, len(opt.Policies))
	fit := int(float64(opt.MaxMemory-200<<20) / (1.12 * (200 + 600*float64(len(opt.Policies)))))
	if opt.ReleaseOrders {
		need = EstimateMemoryReleased(n, len(opt.Policies))
		fit = int(float64(opt.MaxMemory-100<<20) / (1.12 * (80 + 50*float64(len(opt.Policies)))))
	}
	if need <= opt.MaxMemory {
		return nil
	}
	if fit < 1 {
		return badInput("a run of %d orders and %d policies needs about %.1f GiB of memory, more than the %.2f GiB allowed (--max-memory), which is less than the networks and runtime alone need",
			n, len(opt.Policies), float64(need)/(1<<30), float64(opt.MaxMemory)/(1<<30))
	}
	return badInput("a run of %d orders and %d policies needs about %.1f GiB of memory, more than the %.1f GiB allowed (--max-memory): about %d orders fit",
		n, len(opt.Policies), float64(need)/(1<<30), float64(opt.MaxMemory)/(1<<30), max(0, fit))
}

// ReplaySizingQuantile is the quantile of a replay's daily order counts its networks are sized for: a
// carrier staffs its stations for busy days, and on quieter days fewer of its vehicles go out (the router
// leaves the rest at the station). Sized for the mean day, the busier half of a long replay would pile up
// a backlog that quiet days never clear.
const ReplaySizingQuantile = 0.9

// busyDay is the ReplaySizingQuantile of the records' orders per calendar day of creation (days with
// orders only).
func busyDay(recs []replay.Record) float64 {
	days := map[string]float64{}
	for _, r := range recs {
		days[r.Created.Format("2006-01-02")]++
	}
	counts := make([]float64, 0, len(days))
	for _, n := range days {
		counts = append(counts, n)
	}
	slices.Sort(counts)
	if len(counts) == 0 {
		return 0
	}
	return counts[min(len(counts)-1, int(math.Ceil(ReplaySizingQuantile*float64(len(counts))))-1)]
}
