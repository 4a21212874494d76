package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// distSweep is a small sweep for the recipes: 2 rates × 2 replications.
const distSweep = `name: dist-test
duration: 1m
warmup: 5s
functions:
  - {name: api, memory_mb: 512, exec: {dist: lognormal, median: 40ms, p99: 300ms}}
workload: {type: poisson, rate: 10}
systems:
  - {name: lambda, type: faas, platform: aws-lambda-x86}
  - {name: vms, type: server, platform: aws-ec2-m5.large, instances: 1, workers_per_instance: 4}
sweep:
  replications: 2
  axes:
    workload.rate: [5, 30]
`

// manifest is the decoded --emit kubernetes output.
type manifest struct {
	configMap corev1.ConfigMap
	pvc       corev1.PersistentVolumeClaim
	shards    batchv1.Job
	merge     batchv1.Job
}

// strict decodes one YAML document into an upstream type through JSON (as
// kubectl does), refusing any field the type does not have.
func strict(doc map[string]any, into any) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(into)
}

func decodeManifest(t *testing.T, text string) manifest {
	t.Helper()
	var m manifest
	dec := yaml.NewDecoder(strings.NewReader(text))
	var kinds []string
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the manifest is not YAML: %v", err)
		}
		kind, _ := doc["kind"].(string)
		name, _ := doc["metadata"].(map[string]any)["name"].(string)
		kinds = append(kinds, kind+"/"+name)
		var into any
		switch {
		case kind == "ConfigMap":
			into = &m.configMap
		case kind == "PersistentVolumeClaim":
			into = &m.pvc
		case kind == "Job" && strings.HasSuffix(name, "-shards"):
			into = &m.shards
		case kind == "Job" && strings.HasSuffix(name, "-merge"):
			into = &m.merge
		default:
			t.Fatalf("unexpected object %s/%s", kind, name)
		}
		if err := strict(doc, into); err != nil {
			t.Fatalf("%s/%s does not decode strictly into the upstream type: %v", kind, name, err)
		}
	}
	want := []string{"ConfigMap/faasim-dist-test-scenario", "PersistentVolumeClaim/faasim-dist-test-results",
		"Job/faasim-dist-test-shards", "Job/faasim-dist-test-merge"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("objects %v, want %v", kinds, want)
	}
	return m
}

// TestEmitKubernetes: the manifest decodes strictly into k8s.io/api's
// ConfigMap, PersistentVolumeClaim and batch/v1 Jobs; the shards are an
// Indexed Job of N completions and N in parallel whose pods take their
// index from JOB_COMPLETION_INDEX; and running each pod's command line as
// the cluster would (the ConfigMap and the volume as directories, the index
// in the environment), then the merge Job's, writes the unsharded
// sweep.json byte for byte.
func TestEmitKubernetes(t *testing.T) {
	src := filepath.Join(t.TempDir(), "dist.yaml")
	if err := os.WriteFile(src, []byte(distSweep), 0o644); err != nil {
		t.Fatal(err)
	}
	const n = 3
	text, stderr, code := faasim(t, "sweep", src, "--emit", "kubernetes", "--shards", fmt.Sprint(n), "--image", "registry.example/faasim:1",
		"--set", "systems[vms].instances=2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m := decodeManifest(t, text)

	// The shards' Job.
	spec := m.shards.Spec
	if spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("completionMode %v, want Indexed", spec.CompletionMode)
	}
	if spec.Completions == nil || *spec.Completions != n || spec.Parallelism == nil || *spec.Parallelism != n {
		t.Errorf("completions %v, parallelism %v: want %d each", spec.Completions, spec.Parallelism, n)
	}
	pod := spec.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever || len(pod.Containers) != 1 {
		t.Fatalf("pod spec %+v", pod)
	}
	c := pod.Containers[0]
	if c.Image != "registry.example/faasim:1" {
		t.Errorf("image %q", c.Image)
	}
	args := strings.Join(c.Args, " ")
	for _, want := range []string{fmt.Sprintf("--shard auto/%d", n), "--set systems[vms].instances=2", "--out /results/shards", "sweep /scenario/dist.yaml"} {
		if !strings.Contains(args, want) {
			t.Errorf("the shard's args %q lack %q", args, want)
		}
	}
	// Its volumes are the ConfigMap with the scenario and the claim.
	vols := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		vols[v.Name] = v
	}
	if v := vols["scenario"]; v.ConfigMap == nil || v.ConfigMap.Name != m.configMap.Name {
		t.Errorf("scenario volume %+v, want the ConfigMap %s", v, m.configMap.Name)
	}
	if v := vols["results"]; v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != m.pvc.Name {
		t.Errorf("results volume %+v, want the claim %s", v, m.pvc.Name)
	}
	if got := m.configMap.Data["dist.yaml"]; got != distSweep {
		t.Errorf("the ConfigMap's dist.yaml is not the scenario file:\n%s", got)
	}
	if !slices.Contains(m.pvc.Spec.AccessModes, corev1.ReadWriteMany) {
		t.Errorf("the results claim is %v; pods on several nodes need ReadWriteMany", m.pvc.Spec.AccessModes)
	}
	// The merge Job waits for all N files, then merges.
	mp := m.merge.Spec.Template.Spec
	if len(mp.InitContainers) != 1 || !strings.Contains(strings.Join(mp.InitContainers[0].Command, " "), fmt.Sprintf("-of-%d\\.jsonl$')\" -ge %d", n, n)) {
		t.Errorf("the merge's init container does not wait for the %d shards: %+v", n, mp.InitContainers)
	}
	if got := strings.Join(mp.Containers[0].Args, " "); !strings.HasPrefix(got, "sweep merge /results/shards --out /results/sweep") {
		t.Errorf("merge args %q", got)
	}

	// Run it as the cluster would: the mounts as directories, each pod
	// with its JOB_COMPLETION_INDEX.
	root := t.TempDir()
	mount := func(a []string) []string {
		out := make([]string, len(a))
		for i, s := range a {
			for _, dir := range []string{"/scenario", "/results"} {
				if s == dir || strings.HasPrefix(s, dir+"/") {
					s = filepath.Join(root, s)
				}
			}
			out[i] = s
		}
		return out
	}
	scenario := filepath.Join(root, "scenario", "dist.yaml")
	if err := os.MkdirAll(filepath.Dir(scenario), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(scenario, []byte(m.configMap.Data["dist.yaml"]), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		t.Setenv("JOB_COMPLETION_INDEX", fmt.Sprint(i))
		if _, stderr, code := faasim(t, mount(c.Args)...); code != 0 {
			t.Fatalf("pod %d: exit %d: %s", i, code, stderr)
		}
	}
	t.Setenv("JOB_COMPLETION_INDEX", "")
	if _, stderr, code := faasim(t, mount(mp.Containers[0].Args)...); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	whole := filepath.Join(root, "whole")
	if _, stderr, code := faasim(t, "sweep", scenario, "--set", "systems[vms].instances=2", "--out", whole); code != 0 {
		t.Fatalf("unsharded: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"sweep.json", "sweep.csv"} {
		a, err := os.ReadFile(filepath.Join(whole, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(root, "results", "sweep", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s merged from the Indexed Job's pods differs from the unsharded run's", f)
		}
	}
}

// TestEmitSlurm: the script is valid sh, submits an array of N tasks with
// --shard auto/N and a merge that depends on it (afterok), and hands on
// the sweep's options; a value with $ or ` reaches the job as written.
func TestEmitSlurm(t *testing.T) {
	src := filepath.Join(t.TempDir(), "dist.yaml")
	if err := os.WriteFile(src, []byte(distSweep), 0o644); err != nil {
		t.Fatal(err)
	}
	text, stderr, code := faasim(t, "sweep", src, "--emit", "slurm", "--shards", "5", "--replications", "3", "--jobs", "2",
		"--set", "name=a$b`c`")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"#SBATCH --array=0-4", "#SBATCH --cpus-per-task=2", "--shard auto/5", "--dependency=afterok:\"$array\"",
		"--replications 3", `'name=a\$b\` + "`c\\`'", `sweep merge "$OUT/shards" --out "$OUT/sweep"`} {
		if !strings.Contains(text, want) {
			t.Errorf("the script lacks %q:\n%s", want, text)
		}
	}
	sh := filepath.Join(t.TempDir(), "submit.sh")
	if err := os.WriteFile(sh, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("sh", "-n", sh).CombinedOutput(); err != nil {
		t.Errorf("sh -n: %v: %s", err, out)
	}
	// Bad combinations are usage errors.
	for _, args := range [][]string{
		{"--emit", "slurm"},                                    // no --shards
		{"--emit", "pbs", "--shards", "2"},                     // no such engine
		{"--shards", "2"},                                      // without --emit
		{"--emit", "slurm", "--shards", "2", "--shard", "0/2"}, // both
		{"--shard", "0/2"},                                     // no --out
		{"--shard", "0/2", "--out", t.TempDir(), "--format", "json"},
	} {
		if _, stderr, code := faasim(t, append([]string{"sweep", src}, args...)...); code != exitBadInput {
			t.Errorf("%v: exit %d, want %d: %s", args, code, exitBadInput, stderr)
		}
	}
}

// TestShardMergeCLI: the commands a user types, in a shell's order: three
// shards into one directory, the merge, and the unsharded run, the same
// bytes; a missing shard is exit 2 naming it, and nothing is written.
func TestShardMergeCLI(t *testing.T) {
	src := filepath.Join(t.TempDir(), "dist.yaml")
	if err := os.WriteFile(src, []byte(distSweep), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	shards := filepath.Join(dir, "shards")
	for i := range 3 {
		stdout, stderr, code := faasim(t, "sweep", src, "--shard", fmt.Sprintf("%d/3", i), "--out", shards)
		if code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
		}
		if !strings.Contains(stdout, fmt.Sprintf("shard %d/3 of sweep dist-test", i)) {
			t.Errorf("shard %d says %q", i, stdout)
		}
	}
	// One shard alone is refused, naming the two missing; --out is left untouched.
	partial := t.TempDir()
	if err := os.Rename(filepath.Join(shards, "shard-2-of-3.jsonl"), filepath.Join(partial, "shard-2-of-3.jsonl")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "merged")
	_, stderr, code := faasim(t, "sweep", "merge", shards, "--out", out)
	if code != exitBadInput || !strings.Contains(stderr, "shard-2-of-3.jsonl") || !strings.Contains(stderr, "is missing") {
		t.Fatalf("a partial merge: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused merge left %s behind", out)
	}
	table, stderr, code := faasim(t, "sweep", "merge", shards, partial, "--out", out)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	whole := filepath.Join(dir, "whole")
	wantTable, stderr, code := faasim(t, "sweep", src, "--out", whole)
	if code != 0 {
		t.Fatalf("unsharded: exit %d: %s", code, stderr)
	}
	if table != wantTable {
		t.Errorf("the merge's table differs from the unsharded one:\n%s\n%s", table, wantTable)
	}
	// Every file, the figures and report.html too: the merge writes
	// through the same writer as the unsharded sweep.
	files, _ := os.ReadDir(whole)
	var names []string
	for _, e := range files {
		names = append(names, e.Name())
	}
	if !slices.Contains(names, "report.html") || !slices.Contains(names, "sweep.json") {
		t.Errorf("the unsharded sweep wrote %v", names)
	}
	for _, f := range names {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(out, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: merged (%d bytes) differs from unsharded (%d bytes)", f, len(b), len(a))
		}
	}
	if _, stderr, code := faasim(t, "sweep", "merge", filepath.Join(dir, "nowhere"), "--out", out); code != exitBadInput {
		t.Errorf("a missing directory: exit %d: %s", code, stderr)
	}
}
