package main

import (
	"errors"
	"strings"
	"testing"
)

// TestParseShard: every form of --shard, with the environment of a Slurm
// array task and of a Kubernetes Indexed Job; a missing or out-of-range
// index is a usage error (exit 2) saying what was wrong.
func TestParseShard(t *testing.T) {
	for _, c := range []struct {
		spec string
		env  map[string]string
		i, n int
		err  string // in the message; "" for none
	}{
		{"0/1", nil, 0, 1, ""},
		{"6/7", nil, 6, 7, ""},
		{"7/7", nil, 0, 0, "from 0 to 6"},           // past the last shard
		{"-1/3", nil, 0, 0, "from 0 to 2"},          // negative
		{"1/0", nil, 0, 0, "number of shards >= 1"}, // no shards
		{"x/3", nil, 0, 0, "from 0 to 2"},           // not a number
		{"3", nil, 0, 0, "want i/N"},                // no slash
		{"auto", map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"}, 2, 4, ""},
		{"auto", map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"}, 0, 0, "--array=0-3"}, // an array 1-4
		{"auto", map[string]string{"SLURM_ARRAY_TASK_ID": "2"}, 0, 0, "not both set"},
		{"auto", nil, 0, 0, "not a Slurm array task"},
		{"auto/5", map[string]string{"JOB_COMPLETION_INDEX": "3"}, 3, 5, ""},
		{"auto/5", map[string]string{"SLURM_ARRAY_TASK_ID": "1"}, 1, 5, ""},
		// Kubernetes' index wins over a Slurm variable inherited from a login shell.
		{"auto/5", map[string]string{"JOB_COMPLETION_INDEX": "4", "SLURM_ARRAY_TASK_ID": "0"}, 4, 5, ""},
		{"auto/5", map[string]string{"JOB_COMPLETION_INDEX": "5"}, 0, 0, "JOB_COMPLETION_INDEX = \"5\""},
		{"auto/5", nil, 0, 0, "neither JOB_COMPLETION_INDEX"},
	} {
		i, n, err := parseShard(c.spec, func(k string) string { return c.env[k] })
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s %v: %v", c.spec, c.env, err)
		case c.err == "" && (i != c.i || n != c.n):
			t.Errorf("%s %v = %d/%d, want %d/%d", c.spec, c.env, i, n, c.i, c.n)
		case c.err != "":
			var ue usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %v: want a usage error saying %q, got %v", c.spec, c.env, c.err, err)
			}
		}
	}
}
