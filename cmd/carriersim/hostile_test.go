package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carriersim/carriersim/dispatch/scenario"
)

// The hostile inputs: each is a command a user (or a script) might run with bad flags, a bad scenario, a
// bad order file or output paths that would destroy something. Every one must exit 2 with one sentence on
// stderr naming the culprit, leave the earlier outputs of the folder byte for byte as they were, leave no
// temporary file behind, and never panic.

const genericHeader = "id,platform,merchant,created_at,lon,lat,category,weight_kg,volume_m3,ready_at,install_minutes\n"

// goodRow is one valid generic order in Beijing; rows are built from it with one field changed.
var goodRow = []string{"1", "taobao", "3p", "2025-03-18T10:00:00+08:00", "116.40", "39.90", "parcel", "1.5", "0.01", "", ""}

// row returns goodRow with field i set to v (i < 0: unchanged), as a CSV line; rowN gives it id n.
func row(i int, v string) string { return rowN(1, i, v) }

func rowN(n, i int, v string) string {
	r := append([]string(nil), goodRow...)
	r[0] = strconv.Itoa(n)
	if i >= 0 {
		r[i] = v
	}
	return strings.Join(r, ",") + "\n"
}

const ladeHeader = "order_id,region_id,city,courier_id,lng,lat,aoi_id,aoi_type,accept_time,accept_gps_time,accept_gps_lng,accept_gps_lat,delivery_time,delivery_gps_time,delivery_gps_lng,delivery_gps_lat,ds\n"
const ladeRow = "1,53,Jilin,75,126.565,43.82892,40932,1,05-29 08:21:00,05-29 08:21:00,126.5669,43.81228,05-29 13:46:00,05-29 13:46:00,126.56518,43.82935,0529\n"

const solomonTemplate = `TINY

VEHICLE
NUMBER     CAPACITY
  %V         200

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      40         50          0          0       1236          0
    1      45         68         10        912        967         90
    2      45         70         30        825        870         90
`

// scenarioWith writes the default scenario with the JSON field at path (dot-separated; numbers index
// lists) set to v, and returns the file's path.
func scenarioWith(t *testing.T, dir, path string, v any) string {
	t.Helper()
	raw, _ := scenario.EmbeddedJSON("beijing-default")
	var m any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	cur := m
	for i, k := range keys {
		last := i == len(keys)-1
		switch node := cur.(type) {
		case map[string]any:
			if last {
				node[k] = v
			} else {
				cur = node[k]
			}
		case []any:
			n, err := strconv.Atoi(k)
			if err != nil || n >= len(node) {
				t.Fatalf("scenario path %s: no element %s", path, k)
			}
			if last {
				node[n] = v
			} else {
				cur = node[n]
			}
		default:
			t.Fatalf("scenario path %s: cannot descend into %T at %s", path, cur, k)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return write(t, dir, "scenario.json", string(b))
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// hostileCase builds a command's arguments in dir, where earlier outputs (map.geojson, report.json,
// old.html) already exist.
type hostileCase struct {
	name string
	args func(t *testing.T, dir string) []string
	want string // a part of the one sentence on stderr
}

func fixed(args ...string) func(*testing.T, string) []string {
	return func(*testing.T, string) []string { return args }
}

// withCSV runs compare on an order file holding content, writing the earlier outputs again.
func withCSV(content string, extra ...string) func(*testing.T, string) []string {
	return func(t *testing.T, dir string) []string {
		p := write(t, dir, "orders.csv", content)
		return append([]string{"compare", "--orders-csv", p, "--json", filepath.Join(dir, "report.json"),
			"--geojson", filepath.Join(dir, "map.geojson")}, extra...)
	}
}

// withScenario runs compare on the default scenario with one field changed.
func withScenario(path string, v any) func(*testing.T, string) []string {
	return func(t *testing.T, dir string) []string {
		return []string{"compare", "--orders", "2000", "--scenario", scenarioWith(t, dir, path, v),
			"--json", filepath.Join(dir, "report.json"), "--geojson", filepath.Join(dir, "map.geojson")}
	}
}

func hostileCases() []hostileCase {
	in := func(dir, name string) string { return filepath.Join(dir, name) }
	return []hostileCase{
		// Flags.
		{"unknown flag", fixed("compare", "--bogus"), "flag provided but not defined: -bogus"},
		{"orders zero", fixed("compare", "--orders", "0"), "--orders: expected a number of orders a day within [1, 50000000], found 0"},
		{"orders negative", fixed("compare", "--orders", "-3"), "--orders: expected"},
		{"orders two billion", fixed("compare", "--orders", "2000000000"), "found 2000000000"},
		{"orders not a number", fixed("compare", "--orders", "lots"), `invalid value "lots" for flag -orders`},
		{"seed not a number", fixed("compare", "--seed", "x"), `invalid value "x" for flag -seed`},
		{"policies empty", fixed("compare", "--policies", ","), "--policies: expected at least one policy name"},
		{"policy unknown", fixed("compare", "--policies", "closed,nope"), `unknown policy "nope"`},
		{"geojson sample negative", fixed("compare", "--geojson-sample", "-1"), "--geojson-sample: expected 0"},
		{"max memory bad", fixed("compare", "--max-memory", "lots"), "--max-memory: expected a size"},
		{"max memory too small", fixed("compare", "--max-memory", "120MB"), "more than the 0.1 GiB allowed (--max-memory): about 75111 orders fit"},
		{"memory for 40M orders", fixed("compare", "--orders", "40000000", "--max-memory", "4GiB"), "orders fit"},
		{"log level", fixed("--log-level", "loud", "compare"), "--log-level: expected debug, info, warn, error or disabled"},
		{"extra argument", fixed("compare", "extra"), `compare: unexpected argument "extra"`},
		{"simulate without policy", fixed("simulate"), "simulate: --policy is required"},
		{"unknown command", fixed("frobnicate"), `unknown command "frobnicate"`},
		{"date", fixed("compare", "--date", "2025-13-45"), `invalid value "2025-13-45" for flag -date`},

		// Scenarios.
		{"scenario not found", fixed("compare", "--scenario", "atlantis"), `--scenario: "atlantis" is neither an embedded scenario`},
		{"scenario empty", func(t *testing.T, d string) []string {
			return []string{"compare", "--scenario", write(t, d, "s.json", "")}
		}, "the file is empty: expected a scenario JSON object"},
		{"scenario syntax", func(t *testing.T, d string) []string {
			return []string{"compare", "--scenario", write(t, d, "s.json", "{\n  \"version\": 1,\n  \"name\": ")}
		}, "s.json: invalid scenario"},
		{"scenario unknown field", func(t *testing.T, d string) []string {
			return []string{"compare", "--scenario", write(t, d, "s.json", `{"version": 1, "colour": "red"}`)}
		}, `unknown field "colour"`},
		{"scenario trailing data", func(t *testing.T, d string) []string {
			raw, _ := scenario.EmbeddedJSON("beijing-default")
			return []string{"compare", "--scenario", write(t, d, "s.json", string(raw)+"{}")}
		}, "unexpected data after the scenario object"},
		{"scenario wrong type", withScenario("demand.orders", "many"), "demand.orders"},
		{"scenario folder", func(t *testing.T, d string) []string { return []string{"compare", "--scenario", d} }, "--scenario"},
		{"scenario version", withScenario("version", 2), "version: must be 1, got 2"},
		{"demand orders huge", withScenario("demand.orders", 1e9), "demand.orders: must be at most 50000000"},
		{"planning sample huge", withScenario("demand.planning_sample", 1e9), "demand.planning_sample: must be within [100, 5000000]"},
		{"per station 1e8", withScenario("carriers.0.fleets.0.per_station", 1e8), "carriers[0].fleets[0].per_station: must be within [0, 10000]"},
		{"capacity litres", withScenario("carriers.0.fleets.0.capacity.volume_l", 1e12), "carriers[0].fleets[0].capacity.volume_l: must be at most"},
		{"capacity count", withScenario("carriers.1.fleets.0.capacity.count", 1e9), "carriers[1].fleets[0].capacity.count: must be within"},
		{"sorting centres", withScenario("carriers.0.sorting_centers", 1e6), "carriers[0].sorting_centers: must be within [1, 1000]"},
		{"min stations", withScenario("carriers.0.min_stations", 1e7), "carriers[0].min_stations: must be within [1, 50000]"},
		{"stations from demand", func(t *testing.T, d string) []string {
			p := scenarioWith(t, d, "carriers.0.orders_per_station", 1)
			return []string{"compare", "--scenario", p, "--orders", "1000000", "--json", filepath.Join(d, "report.json")}
		}, "stations, more than the limit of 50000"},
		{"routing iterations", withScenario("routing.iterations", -1), "routing.iterations: must be within"},
		{"zones file", withScenario("city.zones", "atlantis.geojson"), `city.zones: no embedded district file "atlantis.geojson"`},
		{"zone weight name", withScenario("city.zone_weights", map[string]any{"Atlantis": 1}), "city.zone_weights.Atlantis: no district of that name"},
		{"policy choice", withScenario("policies.0.choice", "coin"), `policies[0].choice: must be "best_quote", "overflow" or "sticky", got "coin"`},
		{"platform shares", withScenario("platforms.0.share", 0.9), "platforms: shares must add up to 1"},
		{"circuity", withScenario("travel.circuity", 10), "travel.circuity: must be within [1, 3], got 10"},

		// Order files.
		{"orders file missing", fixed("compare", "--orders-csv", "/nonexistent/o.csv"), "/nonexistent/o.csv"},
		{"orders file empty", withCSV(""), "o"},
		{"orders header only", withCSV(genericHeader), "orders.csv"},
		{"orders bad header", withCSV("a,b,c\n1,2,3\n"), "orders.csv"},
		{"platform unknown", withCSV(genericHeader + row(1, "shein")), `orders.csv:2: platform: expected one of scenario beijing-default's platforms (jd, taobao), found "shein"`},
		{"merchant", withCSV(genericHeader + row(2, "4p")), "orders.csv:2: merchant"},
		{"created garbage", withCSV(genericHeader + row(3, "yesterday")), "orders.csv:2: created_at"},
		{"created 1969", withCSV(genericHeader + row(3, "1969-12-31T10:00:00+08:00")), "orders.csv:2: created_at"},
		{"lon 200", withCSV(genericHeader + row(4, "200")), "orders.csv:2: lon: expected a longitude in [-180, 180]"},
		{"lat -100", withCSV(genericHeader + row(5, "-100")), "orders.csv:2: lat: expected a latitude in [-90, 90]"},
		{"category", withCSV(genericHeader + row(6, "piano")), "orders.csv:2: category"},
		{"weight 1e308", withCSV(genericHeader + row(7, "1e308")), "orders.csv:2: weight_kg: expected a number within [0, 50000]"},
		{"weight NaN", withCSV(genericHeader + row(7, "NaN")), "orders.csv:2: weight_kg"},
		{"volume 1e16", withCSV(genericHeader + row(8, "1e16")), "orders.csv:2: volume_m3: expected a number within [0, 200]"},
		{"volume negative", withCSV(genericHeader + row(8, "-1")), "orders.csv:2: volume_m3"},
		{"ready before created", withCSV(genericHeader + row(9, "2025-03-18T09:00:00+08:00")), "orders.csv:2: ready_at"},
		{"install minutes on a parcel", withCSV(genericHeader + row(10, "60")), "orders.csv:2: install_minutes"},
		{"install minutes huge", withCSV(genericHeader + strings.Replace(row(10, "1e9"), "parcel", "appliance_install", 1)), "orders.csv:2: install_minutes"},
		{"span 1970 to 2030", withCSV(genericHeader + row(3, "1970-01-02T10:00:00+08:00") + rowN(2, 3, "2030-01-02T10:00:00+08:00")), "its orders span 21915 days"},
		{"outside the city", withCSV(genericHeader + row(4, "126.5") + rowN(2, 4, "126.6")), "none of its 2 destinations lies in scenario beijing-default's city"},
		{"lade without year", withCSV(ladeHeader + ladeRow), "a LaDe file's times have no year: give it with --year"},
		{"lade year 999999999", withCSV(ladeHeader+ladeRow, "--year", "999999999"), "--year: expected a year within [1970, 9998], found 999999999"},
		{"replay platform", withCSV(genericHeader+row(-1, ""), "--replay-platform", "shein"), "replay platform"},

		// Output paths.
		{"json is the scenario", func(t *testing.T, d string) []string {
			p := scenarioWith(t, d, "name", "beijing-default")
			return []string{"compare", "--scenario", p, "--json", p}
		}, "--json"},
		{"json is the orders file", func(t *testing.T, d string) []string {
			p := write(t, d, "orders.csv", genericHeader+row(-1, ""))
			return []string{"compare", "--orders-csv", p, "--json", p}
		}, "the input --orders-csv"},
		{"json is the geojson", func(t *testing.T, d string) []string {
			return []string{"compare", "--json", in(d, "map.geojson"), "--geojson", in(d, "map.geojson")}
		}, "the output of --json"},
		{"json through another path", func(t *testing.T, d string) []string {
			return []string{"compare", "--json", in(d, "report.json"), "--trips", in(d, "./x/../report.json")}
		}, "the output of --json"},
		{"json is a folder", func(t *testing.T, d string) []string { return []string{"compare", "--json", d} }, "found a folder"},
		{"json in a missing folder", func(t *testing.T, d string) []string {
			return []string{"compare", "--geojson", in(d, "map.geojson"), "--json", "/nodir/r.json"}
		}, "/nodir"},
		{"geojson in a missing folder", func(t *testing.T, d string) []string {
			return []string{"compare", "--json", in(d, "report.json"), "--geojson", in(d, "none/map.geojson")}
		}, "none"},
		{"html is the trips", func(t *testing.T, d string) []string {
			return []string{"compare", "--html", in(d, "old.html"), "--trips", in(d, "old.html")}
		}, "old.html"},
		{"json symlink to the scenario", func(t *testing.T, d string) []string {
			p := scenarioWith(t, d, "name", "beijing-default")
			link := in(d, "link.json")
			if err := os.Symlink(p, link); err != nil {
				t.Fatal(err)
			}
			return []string{"compare", "--scenario", p, "--json", link}
		}, "the input --scenario"},
		{"two stdouts", fixed("compare", "--json", "-", "--geojson", "-"), "the output of --json"},

		// Overrides and sweeps.
		{"set not a number", fixed("compare", "--set", "demand.orders=many"), `--set demand.orders=many: invalid scenario: demand.orders: expected an integer, found "many"`},
		{"set unknown field", fixed("compare", "--set", "demand.oders=5"), `demand.oders: unknown field "oders"`},
		{"set out of range", fixed("compare", "--set", "travel.circuity=9"), "--set: travel.circuity: must be within [1, 3], got 9"},
		{"set without value", fixed("compare", "--set", "demand.orders"), "--set demand.orders: expected PATH=VALUE"},
		{"replications zero", fixed("compare", "--orders", "500", "--replications", "0"), "replications: expected a number within [1, 1000], found 0"},
		{"sweep without vary", fixed("sweep"), "sweep: expected at least one --vary"},
		{"sweep bad value", fixed("sweep", "--orders", "500", "--replications", "1", "--vary", "travel.circuity=1.2,x"), `--vary travel.circuity=x: invalid scenario: travel.circuity: expected a number, found "x"`},
		{"completion shell", fixed("completion", "fish"), `completion: expected bash or zsh, found "fish"`},

		// Other commands.
		{"solve no instance", fixed("solve"), "solve: expected one INSTANCE file argument, got 0"},
		{"solve missing instance", fixed("solve", "/nonexistent/c101.txt"), "/nonexistent/c101.txt"},
		{"solve json is the instance", func(t *testing.T, d string) []string {
			p := write(t, d, "tiny.txt", strings.Replace(solomonTemplate, "%V", "3", 1))
			return []string{"solve", "--json", p, p}
		}, "the input INSTANCE"},
		{"solve two billion vehicles", func(t *testing.T, d string) []string {
			return []string{"solve", write(t, d, "tiny.txt", strings.Replace(solomonTemplate, "%V", "2000000000", 1))}
		}, "tiny.txt:5"},
		{"solve negative time limit", func(t *testing.T, d string) []string {
			return []string{"solve", "--time-limit", "-1s", write(t, d, "tiny.txt", strings.Replace(solomonTemplate, "%V", "3", 1))}
		}, "--time-limit: expected a duration >= 0"},
		{"solve malformed", func(t *testing.T, d string) []string {
			return []string{"solve", write(t, d, "tiny.txt", "nonsense\n")}
		}, "tiny.txt"},
		{"validate missing", fixed("validate", "/nonexistent/s.json"), "/nonexistent/s.json"},
		{"validate empty", func(t *testing.T, d string) []string {
			return []string{"validate", write(t, d, "s.json", " \n")}
		}, "the file is empty"},
		{"report missing", fixed("report", "/nonexistent/r.json"), "/nonexistent/r.json"},
		{"report not a report", func(t *testing.T, d string) []string {
			return []string{"report", "--out", in(d, "old.html"), write(t, d, "r.json", `{"hello": 1}`)}
		}, "not a carriersim JSON report"},
		{"report out is the input", func(t *testing.T, d string) []string {
			return []string{"report", "--out", in(d, "report.json"), in(d, "report.json")}
		}, "report.json"},
		{"replay-check without orders", fixed("replay-check"), "replay-check: --orders-csv is required"},
	}
}

// TestHostileInputs runs every hostile case in a folder holding earlier outputs and checks the contract:
// exit 2, one sentence naming the culprit, earlier outputs untouched, no temporary file, no panic.
func TestHostileInputs(t *testing.T) {
	cases := hostileCases()
	if len(cases) < 60 {
		t.Fatalf("%d hostile cases, want at least 60", len(cases))
	}
	earlier := map[string]string{"map.geojson": "earlier map\n", "report.json": `{"earlier": true}` + "\n", "old.html": "<p>earlier</p>\n"}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range earlier {
				write(t, dir, name, content)
			}
			args := tc.args(t, dir)
			var stdout, stderr string
			var code int
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v", r)
					}
				}()
				stdout, stderr, code = carriersim(t, args...)
			}()
			if code != 2 {
				t.Errorf("exit code %d, want 2 (stderr %q)", code, stderr)
			}
			msg := strings.TrimSpace(stderr)
			if strings.Count(msg, "\n") != 0 || msg == "" {
				t.Errorf("stderr %q, want one sentence", stderr)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("stderr %q does not name %q", msg, tc.want)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
				t.Errorf("stderr looks like a crash: %q", stderr)
			}
			if tc.name != "two stdouts" && stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			for name, content := range earlier {
				if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != content {
					t.Errorf("earlier output %s changed: %q, %v", name, b, err)
				}
			}
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if strings.Contains(e.Name(), ".tmp") {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
		})
	}
}

// TestSignalsKeepEarlierOutputs runs the real binary and stops it with SIGINT as it starts to simulate and
// once it streams the map, the trips and the run folder's parts to scratch files, and with SIGTERM while it
// writes its outputs: each exits 128 + the signal with one sentence, leaves the earlier files, run folder
// included, as they were and removes its temporary files.
func TestSignalsKeepEarlierOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs three 100,000-order compares: not in -short")
	}
	bin := filepath.Join(t.TempDir(), "carriersim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		sig   syscall.Signal
		after string        // stop once stderr shows this log message
		wait  time.Duration // and this much later
		code  int
	}{
		{syscall.SIGINT, "simulating", 300 * time.Millisecond, 130},
		// Seconds into the simulation: the outputs' parts are being streamed to their scratch files.
		{syscall.SIGINT, "simulating", 4 * time.Second, 130},
		{syscall.SIGTERM, "simulated", 300 * time.Millisecond, 143},
	} {
		t.Run(tc.sig.String()+" after "+tc.wait.String(), func(t *testing.T) {
			dir := t.TempDir()
			earlier := map[string]string{"map.geojson": "earlier map\n", "report.json": "{}\n", "trips.json": "[]\n",
				"run/orders.csv": "id\n", "run/map.geojson": "earlier run map\n"}
			if err := os.Mkdir(filepath.Join(dir, "run"), 0o755); err != nil {
				t.Fatal(err)
			}
			for name, content := range earlier {
				write(t, dir, name, content)
			}
			cmd := exec.Command(bin, "compare", "--orders", "100000", "--json", filepath.Join(dir, "report.json"),
				"--geojson", filepath.Join(dir, "map.geojson"), "--trips", filepath.Join(dir, "trips.json"),
				"--out", filepath.Join(dir, "run"))
			var stderr syncBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(2 * time.Minute)
			for !strings.Contains(stderr.String(), tc.after) {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("no %q on stderr within 2 minutes: %s", tc.after, stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(tc.wait) // into the simulation, or into the GeoJSON (seconds at this size)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("exit %v, want code %d; stderr %s", err, tc.code, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if last := lines[len(lines)-1]; !strings.Contains(last, "interrupted by "+map[int]string{130: "SIGINT", 143: "SIGTERM"}[tc.code]) {
				t.Errorf("last stderr line %q, want the interruption sentence", last)
			}
			for name, content := range earlier {
				if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != content {
					t.Errorf("earlier output %s changed", name)
				}
			}
			for _, d := range []string{dir, filepath.Join(dir, "run")} {
				ents, _ := os.ReadDir(d)
				for _, e := range ents {
					if strings.Contains(e.Name(), ".tmp") {
						t.Errorf("temporary file %s left behind in %s", e.Name(), d)
					}
				}
			}
			if ents, _ := os.ReadDir(filepath.Join(dir, "run")); len(ents) != 2 {
				t.Errorf("run folder has %d files, want the 2 earlier ones", len(ents))
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for a writer process and a reading test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDocsOrdersExampleRuns runs the example order file of docs/orders-csv.md on the default scenario, as
// the page tells a reader to.
func TestDocsOrdersExampleRuns(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "orders-csv.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```csv\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/orders-csv.md has no csv block")
	}
	p := write(t, t.TempDir(), "example.csv", block)
	if _, stderr, code := carriersim(t, "compare", "--orders-csv", p, "--json", "-"); code != 0 {
		t.Errorf("the documented example fails: code %d, %s", code, stderr)
	}
}

// TestCompletionScript sources the bash completion script and completes a command and a flag.
func TestCompletionScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script, _, code := carriersim(t, "completion", "bash")
	if code != 0 {
		t.Fatalf("completion: code %d", code)
	}
	p := write(t, t.TempDir(), "c.sh", script)
	out, err := exec.Command("bash", "-c", `source `+p+`
COMP_WORDS=(carriersim swe); COMP_CWORD=1; _carriersim; echo "${COMPREPLY[@]}"
COMP_WORDS=(carriersim compare --repli); COMP_CWORD=2; _carriersim; echo "${COMPREPLY[@]}"`).CombinedOutput()
	if err != nil || string(out) != "sweep\n--replications\n" {
		t.Errorf("completions %q (%v), want sweep and --replications", out, err)
	}
}
