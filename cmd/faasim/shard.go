package main

import (
	"fmt"
	"strconv"
	"strings"
)

// parseShard reads --shard: "i/N" (shard i of N, from 0), "auto" (a Slurm
// job array's task: SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT) or
// "auto/N" (N shards, the index from JOB_COMPLETION_INDEX, a Kubernetes
// Indexed Job's, else SLURM_ARRAY_TASK_ID). A missing, malformed or
// out-of-range index is a usage error (exit 2): a shard that silently ran
// the wrong share would be merged as the right one.
func parseShard(spec string, getenv func(string) string) (i, n int, err error) {
	bad := func(format string, args ...any) (int, int, error) {
		return 0, 0, usageError{fmt.Errorf("--shard %s: "+format, append([]any{spec}, args...)...)}
	}
	index, count, ok := strings.Cut(spec, "/")
	var from string // where the index came from
	switch {
	case spec == "auto":
		from = "SLURM_ARRAY_TASK_ID"
		index, count = getenv(from), getenv("SLURM_ARRAY_TASK_COUNT")
		if index == "" || count == "" {
			return bad("SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not both set (not a Slurm array task?); use i/N, or auto/N in a Kubernetes Indexed Job")
		}
	case ok && index == "auto":
		from = "JOB_COMPLETION_INDEX"
		if index = getenv(from); index == "" {
			from = "SLURM_ARRAY_TASK_ID"
			index = getenv(from)
		}
		if index == "" {
			return bad("neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job's) nor SLURM_ARRAY_TASK_ID (a Slurm array task's) is set; use i/N")
		}
	case !ok:
		return bad("want i/N (shard i of N, 0 <= i < N), auto (a Slurm job array) or auto/N")
	}
	n, err = strconv.Atoi(strings.TrimSpace(count))
	if err != nil || n < 1 {
		if spec == "auto" {
			return bad("SLURM_ARRAY_TASK_COUNT=%q: want a count >= 1", count)
		}
		return bad("N = %q: want a number of shards >= 1", count)
	}
	i, err = strconv.Atoi(strings.TrimSpace(index))
	if err != nil || i < 0 || i >= n {
		where := "i"
		if from != "" {
			where = from
		}
		hint := ""
		if from == "SLURM_ARRAY_TASK_ID" {
			hint = fmt.Sprintf(" (submit the array as --array=0-%d)", n-1)
		}
		return bad("%s = %q: want a shard index from 0 to %d%s", where, index, n-1, hint)
	}
	return i, n, nil
}
