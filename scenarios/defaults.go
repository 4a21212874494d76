package scenarios

import (
	"strings"
	"time"

	"github.com/faasim/faasim/models"
)

// Every default, as scenario keys, in one place. They are laid under what
// the file says (and under a platform preset's keys) before decoding, so a
// default passes the same checks as a user's value, and
// docs/scenario-reference.md can be checked against this page. The keys of
// a system take their values from models.DefaultFaaSConfig and
// models.DefaultServerConfig, so a library user of models and a scenario
// get the same defaults.
var (
	faasDefault   = models.DefaultFaaSConfig()
	serverDefault = models.DefaultServerConfig()
	defaultIdle   = faasDefault.KeepAlive.(models.FixedKeepAlive).Idle

	// defaultKeepAlive is keep_alive's default, and that of a nested
	// keep-alive (the on-demand instances of provisioned, the instances
	// pinged).
	defaultKeepAlive = map[string]any{"policy": "fixed", "idle": durationKey(defaultIdle)}

	scenarioDefaults = map[string]any{
		"seed":           1,
		"warmup":         "0s",
		"functions":      []any{map[string]any{}}, // one function, all defaults
		"max_backlog_mb": models.DefaultBacklogBudget >> 20,
	}
	functionDefaults = map[string]any{
		"memory_mb":                128,
		"exec":                     map[string]any{"dist": "constant", "value": "100ms"},
		"weight":                   1,
		"cpu_bound":                0,
		"exec_reference_memory_mb": 0,
		"package_mb":               0,
		"snapstart":                false,
		"ephemeral_storage_mb":     512,
	}
	// defaultFunctionName names the function of a single-function scenario.
	defaultFunctionName = "default"

	faasDefaults = map[string]any{
		"keep_alive":           defaultKeepAlive,
		"max_concurrency":      0,
		"instance_concurrency": faasDefault.InstanceConcurrency,
		"on_throttle":          "reject",
		"timeout":              "0s",
		"billing_granularity":  durationKey(faasDefault.Billing.Granularity),
		"billing_minimum":      "0s",
		"bill_init":            faasDefault.Billing.InitBilled,
		// platform catalogue: docs/platforms.md
		"billing_model":          faasDefault.Billing.Model.String(),
		"account_concurrency":    0,
		"burst_rate":             0,
		"min_instances":          0,
		"memory_mb":              0,
		"vcpu":                   faasDefault.Billing.VCPU,
		"memory_billing_step_mb": 0,
		"memory_billing_max_mb":  0,
		"free_tier":              false,
		"provisioned_rounding":   durationKey(faasDefault.Billing.Provisioned.Rounding),
		"full_vcpu_memory_mb":    0,
		"vcpu_ceiling":           0,
		// the platform's; the presets set it (docs/platforms.md)
		"cold_start_per_package_mb": "0s",
		// bills around the function (issue 12)
		"ephemeral_storage_mb":                  0,
		"ephemeral_storage_price_per_gb_second": 0,
		"ephemeral_storage_free_mb":             faasDefault.Billing.EphemeralFreeMB,
		"queue_timeout":                         "0s",
		"baseline_idle_only":                    faasDefault.Billing.BaselineIdleOnly,
	}
	serverDefaults = map[string]any{
		"workers_per_instance": serverDefault.WorkersPerInstance,
		"queue_limit":          0,
		"timeout":              "0s",
		"billing_minimum":      durationKey(serverDefault.Billing.MinimumBilled),
		"billing_granularity":  durationKey(serverDefault.Billing.Granularity),
		"cache_hit_ratio":      0,
		"spot_first_hour_free": serverDefault.Purchase.FreeFirstHour,
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

// durationKey writes a default duration as a scenario would: 5m, not 5m0s.
func durationKey(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
