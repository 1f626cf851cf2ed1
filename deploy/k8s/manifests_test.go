package k8s_test

import (
	"os"
	"slices"
	"strconv"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// decode reads a manifest strictly into v: an unknown or misspelt field is an error.
func decode(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// job decodes a Job manifest and checks what every carriersim Job needs: one container of the carriersim
// image, restartPolicy Never (a failed shard is retried as a new pod), a memory limit and the data volume.
func job(t *testing.T, file, name string) *batchv1.Job {
	t.Helper()
	var j batchv1.Job
	decode(t, file, &j)
	if j.APIVersion != "batch/v1" || j.Kind != "Job" || j.Name != name {
		t.Fatalf("%s: %s %s %q, want batch/v1 Job %q", file, j.APIVersion, j.Kind, j.Name, name)
	}
	ps := j.Spec.Template.Spec
	if ps.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("%s: restartPolicy %q, want Never", file, ps.RestartPolicy)
	}
	if len(ps.Containers) != 1 || ps.Containers[0].Image != "carriersim:latest" {
		t.Fatalf("%s: want one container of image carriersim:latest, got %+v", file, ps.Containers)
	}
	c := ps.Containers[0]
	if c.Resources.Limits.Memory().IsZero() {
		t.Errorf("%s: no memory limit", file)
	}
	if len(c.VolumeMounts) != 1 || c.VolumeMounts[0].MountPath != "/data" || len(ps.Volumes) != 1 ||
		ps.Volumes[0].PersistentVolumeClaim == nil || ps.Volumes[0].PersistentVolumeClaim.ClaimName != "carriersim-data" {
		t.Errorf("%s: want the carriersim-data claim mounted at /data", file)
	}
	return &j
}

func TestManifests(t *testing.T) {
	var pvc corev1.PersistentVolumeClaim
	decode(t, "pvc.yaml", &pvc)
	if pvc.Kind != "PersistentVolumeClaim" || pvc.Name != "carriersim-data" ||
		!slices.Contains(pvc.Spec.AccessModes, corev1.ReadWriteMany) {
		t.Errorf("pvc.yaml: want PersistentVolumeClaim carriersim-data, ReadWriteMany; got %s %s %v", pvc.Kind, pvc.Name, pvc.Spec.AccessModes)
	}

	plan := job(t, "plan-job.yaml", "carriersim-plan")
	args := plan.Spec.Template.Spec.Containers[0].Args
	shardsAt := slices.Index(args, "--shards")
	if !slices.Equal(args[:2], []string{"shard", "plan"}) || shardsAt < 0 {
		t.Fatalf("plan-job.yaml: args %q, want shard plan --shards N ...", args)
	}

	shards := job(t, "shard-job.yaml", "carriersim-shards")
	s := shards.Spec
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("shard-job.yaml: completionMode must be Indexed (JOB_COMPLETION_INDEX is the shard index)")
	}
	if s.Completions == nil || s.Parallelism == nil || *s.Parallelism > *s.Completions {
		t.Fatalf("shard-job.yaml: completions and parallelism must be set, parallelism at most completions")
	}
	if want := args[shardsAt+1]; want != strconv.Itoa(int(*s.Completions)) {
		t.Errorf("shard-job.yaml: completions %d, but plan-job.yaml writes %s shards", *s.Completions, want)
	}
	if s.BackoffLimitPerIndex == nil || *s.BackoffLimitPerIndex < 1 {
		t.Errorf("shard-job.yaml: want backoffLimitPerIndex >= 1 so a failed shard is retried alone")
	}
	if a := s.Template.Spec.Containers[0].Args; !slices.Equal(a[:2], []string{"shard", "run"}) || slices.Contains(a, "--index") {
		t.Errorf("shard-job.yaml: args %q, want shard run without --index (the index comes from JOB_COMPLETION_INDEX)", a)
	}

	merge := job(t, "merge-job.yaml", "carriersim-merge")
	if a := merge.Spec.Template.Spec.Containers[0].Args; a[0] != "merge" || !slices.Contains(a, "/data/run") {
		t.Errorf("merge-job.yaml: args %q, want merge ... /data/run", a)
	}
}

// TestStrictDecodeRejectsTypos checks that the decoding above would catch a misspelt field.
func TestStrictDecodeRejectsTypos(t *testing.T) {
	var j batchv1.Job
	err := yaml.UnmarshalStrict([]byte("apiVersion: batch/v1\nkind: Job\nspec:\n  completionMod: Indexed\n"), &j)
	if err == nil {
		t.Fatal("a misspelt field (completionMod) decoded without error")
	}
}
