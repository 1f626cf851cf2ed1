package slurm_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSlurmArray runs the 12-city national test scenario as a 4-task Slurm job array through submit.sh,
// and checks that the merged report equals, byte for byte, run-all's and a single process's (a one-shard
// plan); then makes shard 2 fail once, resubmits it alone, merges, and checks the bytes again.
//
// It needs a running Slurm cluster (deploy/slurm/ci-cluster.sh start): it skips without one, unless
// CARRIERSIM_SLURM=1, when it fails (CI sets it).
func TestSlurmArray(t *testing.T) {
	requireCluster(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "carriersim")
	run(t, root, nil, "go", "build", "-o", bin, "./cmd/carriersim")
	cs := func(args ...string) { run(t, dir, nil, bin, append([]string{"--log-level", "warn"}, args...)...) }

	plan := filepath.Join(dir, "plan.json")
	cs("shard", "plan", "--scenario", "china-double11-small", "--shards", "4", "--out", plan)
	plan1 := filepath.Join(dir, "plan1.json")
	cs("shard", "plan", "--scenario", "china-double11-small", "--shards", "1", "--out", plan1)

	// The references: every shard in one process, and a one-shard plan.
	cs("shard", "run-all", "--plan", plan, "--out", filepath.Join(dir, "all"))
	all := read(t, filepath.Join(dir, "all", "national.json"))
	cs("shard", "run", "--plan", plan1, "--index", "0", "--out", filepath.Join(dir, "one"))
	cs("merge", "--out", filepath.Join(dir, "one.json"), filepath.Join(dir, "one", "partial-00000.json"))
	if one := read(t, filepath.Join(dir, "one.json")); !bytes.Equal(one, all) {
		t.Fatalf("single-process report (%d bytes) differs from run-all's (%d bytes)", len(one), len(all))
	}

	env := []string{"CARRIERSIM=" + bin, "CARRIERSIM_LOG_LEVEL=warn"}
	submit := filepath.Join(root, "deploy", "slurm", "submit.sh")
	sbatchOpts := []string{"--cpus-per-task=1", "--mem=1G"}

	// The array and the merge that depends on it.
	out := filepath.Join(dir, "slurm")
	ids := strings.Fields(run(t, dir, env, submit, append([]string{plan, out}, sbatchOpts...)...))
	if len(ids) != 2 {
		t.Fatalf("submit.sh printed %q, want two job ids", ids)
	}
	t.Logf("array job %s, merge job %s", ids[0], ids[1])
	if st := waitJob(t, ids[0]); st != "COMPLETED" {
		t.Fatalf("array job %s: %s", ids[0], st)
	}
	if st := waitJob(t, ids[1]); st != "COMPLETED" {
		t.Fatalf("merge job %s: %s", ids[1], st)
	}
	if got := read(t, filepath.Join(out, "national.json")); !bytes.Equal(got, all) {
		t.Fatalf("Slurm's merged report (%d bytes) differs from run-all's (%d bytes)", len(got), len(all))
	}
	t.Logf("4-task array + merge: national.json (%d bytes) identical to run-all's and the single process's", len(all))

	// Shard 2 fails once; its merge never runs; resubmitted alone, it completes, and the merge agrees.
	out2 := filepath.Join(dir, "retry")
	failEnv := append(env, "CARRIERSIM_TEST_FAIL_SHARD_ONCE=2:"+filepath.Join(dir, "failed-once"))
	ids = strings.Fields(run(t, dir, failEnv, submit, append([]string{plan, out2}, sbatchOpts...)...))
	if st := waitJob(t, ids[0]); st != "FAILED" {
		t.Fatalf("array job %s with shard 2 failing: %s, want FAILED", ids[0], st)
	}
	if _, err := os.Stat(filepath.Join(out2, "partial-00002.json")); err == nil {
		t.Fatal("shard 2 failed but wrote its partial")
	}
	if st := jobStates(t, ids[1]); !strings.Contains(st, "PENDING") {
		t.Fatalf("merge job %s after a failed shard: %s, want PENDING (dependency never satisfied)", ids[1], st)
	}
	run(t, dir, nil, "scancel", ids[1])
	retry := strings.TrimSpace(run(t, dir, failEnv, "sbatch", append(append([]string{"--parsable", "--array=2"}, sbatchOpts...),
		filepath.Join(root, "deploy", "slurm", "shard-array.sbatch"), plan, out2)...))
	if st := waitJob(t, retry); st != "COMPLETED" {
		t.Fatalf("resubmitted shard 2 (job %s): %s", retry, st)
	}
	merge := strings.TrimSpace(run(t, dir, env, "sbatch", append(append([]string{"--parsable"}, sbatchOpts...),
		filepath.Join(root, "deploy", "slurm", "merge.sbatch"), out2)...))
	if st := waitJob(t, merge); st != "COMPLETED" {
		t.Fatalf("merge job %s after the retry: %s", merge, st)
	}
	if got := read(t, filepath.Join(out2, "national.json")); !bytes.Equal(got, all) {
		t.Fatalf("report after shard 2's retry (%d bytes) differs from run-all's (%d bytes)", len(got), len(all))
	}
	t.Logf("shard 2 failed once (array job %s FAILED), resubmitted as job %s, merged as job %s: identical report", ids[0], retry, merge)
}

// requireCluster skips (or, with CARRIERSIM_SLURM=1, fails) unless sbatch is on PATH and the controller
// answers.
func requireCluster(t *testing.T) {
	t.Helper()
	stop := t.Skipf
	if os.Getenv("CARRIERSIM_SLURM") == "1" {
		stop = t.Fatalf
	}
	if _, err := exec.LookPath("sbatch"); err != nil {
		stop("no sbatch on PATH (deploy/slurm/ci-cluster.sh start runs a single-node cluster)")
		return
	}
	out, err := exec.Command("scontrol", "ping").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "UP") {
		stop("scontrol ping: the Slurm controller does not answer: %v %s", err, out)
	}
}

// run runs a command in dir with extra environment and returns its stdout; a failure fails the test.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

var stateRE = regexp.MustCompile(`JobState=(\S+)`)

// jobStates lists the states of a job's records (one per array task), sorted as scontrol prints them.
func jobStates(t *testing.T, id string) string {
	t.Helper()
	out, err := exec.Command("scontrol", "show", "job", id).CombinedOutput()
	if err != nil {
		t.Fatalf("scontrol show job %s: %v %s", id, err, out)
	}
	var states []string
	for _, m := range stateRE.FindAllStringSubmatch(string(out), -1) {
		states = append(states, m[1])
	}
	return strings.Join(states, " ")
}

// waitJob polls a job until every one of its tasks has ended (sacct needs accounting storage, which the
// test cluster has not), then returns COMPLETED when all completed, else the first other state.
func waitJob(t *testing.T, id string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		st := strings.Fields(jobStates(t, id))
		running := false
		for _, s := range st {
			switch s {
			case "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "SUSPENDED":
				running = true
			}
		}
		if !running && len(st) > 0 {
			for _, s := range st {
				if s != "COMPLETED" {
					return s
				}
			}
			return "COMPLETED"
		}
		time.Sleep(time.Second)
	}
	return fmt.Sprintf("still running after 5 minutes: %s", jobStates(t, id))
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
