package scenarios

// Every default, as scenario keys, in one place. They are laid under what
// the file says (and under a platform preset's keys) before decoding, so a
// default passes the same checks as a user's value, and
// docs/scenario-reference.md can be checked against this page.
var (
	scenarioDefaults = map[string]any{
		"seed":      1,
		"warmup":    "0s",
		"functions": []any{map[string]any{}}, // one function, all defaults
	}
	functionDefaults = map[string]any{
		"memory_mb":                128,
		"exec":                     map[string]any{"dist": "constant", "value": "100ms"},
		"weight":                   1,
		"cpu_bound":                0,
		"exec_reference_memory_mb": 0,
		"ephemeral_storage_mb":     512,
	}
	// defaultFunctionName names the function of a single-function scenario.
	defaultFunctionName = "default"

	faasDefaults = map[string]any{
		"keep_alive":           map[string]any{"policy": "fixed", "idle": "10m"},
		"max_concurrency":      0,
		"instance_concurrency": 1,
		"on_throttle":          "reject",
		"timeout":              "0s",
		"billing_granularity":  "1ms",
		"billing_minimum":      "0s",
		"bill_init":            true,
		// platform catalogue (issue 3)
		"billing_model":          "per-request",
		"account_concurrency":    0,
		"burst_rate":             0,
		"min_instances":          0,
		"memory_mb":              0,
		"vcpu":                   1,
		"memory_billing_step_mb": 0,
		"memory_billing_max_mb":  0,
		"free_tier":              false,
		"provisioned_rounding":   "5m",
		"full_vcpu_memory_mb":    0,
		"vcpu_ceiling":           0,
		// bills around the function (issue 12)
		"ephemeral_storage_mb":                  0,
		"ephemeral_storage_price_per_gb_second": 0,
		"ephemeral_storage_free_mb":             512,
	}
	serverDefaults = map[string]any{
		"workers_per_instance": 1,
		"queue_limit":          0,
		"timeout":              "0s",
		"billing_minimum":      "60s",
		"billing_granularity":  "1s",
	}
	reportDefaults = map[string]any{
		"interval": "1m",
	}
	// autoscaleDefaults are laid under a server system's autoscale map
	// (cooldowns: AWS target tracking's defaults).
	autoscaleDefaults = map[string]any{
		"metric":             "utilization",
		"min":                1,
		"interval":           "60s",
		"scale_out_cooldown": "300s",
		"scale_in_cooldown":  "300s",
		"scale_in":           true,
	}

	// workloadDefaults are the defaults of each workload.type's keys.
	workloadDefaults = map[string]map[string]any{
		"diurnal": {"peak_at": "14h", "period": "24h"},
		"cron":    {"offset": "0s", "jitter": "0s", "fanout": 1},
		"trace": {"spread": "poisson", "scale": 1, "skip_bad_rows": false, "min_memory_mb": 128, "memory_mb": 128,
			"reorder_window": "10m", "exec": map[string]any{"dist": "constant", "value": "100ms"}},
	}
)
