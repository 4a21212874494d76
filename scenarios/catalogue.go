package scenarios

import (
	"maps"
	"slices"
	"strconv"

	"github.com/faasim/faasim/models"
)

// catalogue decodes the FaaS keys of the platform catalogue (billing
// models, CPU and memory, limits, free tiers) into c; docs/platforms.md.
func (d *decoder) catalogue(o *object, c *models.FaaSConfig) {
	b := &c.Billing
	if m, ok := o.oneOf("billing_model", models.BillingModels...); ok {
		b.Model = models.BillingModel(slices.Index(models.BillingModels, m))
	}
	c.AccountConcurrency, _ = o.int("account_concurrency", 0)
	c.BurstRate, _ = o.int("burst_rate", 0)
	c.MinInstances, _ = o.int("min_instances", 0)
	if c.MaxConcurrency > 0 && c.MinInstances > c.MaxConcurrency {
		o.fail("min_instances", "%d exceeds max_concurrency (%d); want at most max_concurrency", c.MinInstances, c.MaxConcurrency)
	}
	c.MemoryMB, _ = o.int("memory_mb", 0)
	b.PricePerVCPUSecond, _ = o.num("price_per_vcpu_second", 0, false)
	b.VCPU, _ = o.num("vcpu", 0, false)
	b.PricePerGHzSecond, _ = o.num("price_per_ghz_second", 0, false)
	b.MemoryStepMB, _ = o.int("memory_billing_step_mb", 0)
	b.MemoryMaxMB, _ = o.int("memory_billing_max_mb", 0)
	b.FreeTier, _ = o.bool("free_tier")
	b.Free.Requests, _ = o.num("free_requests_per_month", 0, false)
	b.Free.GBSeconds, _ = o.num("free_gb_seconds_per_month", 0, false)
	b.Free.VCPUSeconds, _ = o.num("free_vcpu_seconds_per_month", 0, false)
	b.Free.GHzSeconds, _ = o.num("free_ghz_seconds_per_month", 0, false)
	b.BaselinePricePerGBSecond, _ = o.num("baseline_price_per_gb_second", 0, false)
	b.BaselinePricePerVCPUSecond, _ = o.num("baseline_price_per_vcpu_second", 0, false)
	b.Provisioned.PricePerGBSecond, _ = o.num("provisioned_price_per_gb_second", 0, false)
	b.Provisioned.DurationPricePerGBSecond, _ = o.num("provisioned_duration_price_per_gb_second", 0, false)
	b.Provisioned.Rounding, _ = o.duration("provisioned_rounding")
	c.QueueTimeout, _ = o.duration("queue_timeout") // with on_throttle: reject nothing queues: no effect
	b.BaselineIdleOnly, _ = o.bool("baseline_idle_only")
	c.EphemeralStorageMB, _ = o.int("ephemeral_storage_mb", 0)
	b.EphemeralPricePerGBSecond, _ = o.num("ephemeral_storage_price_per_gb_second", 0, false)
	b.EphemeralFreeMB, _ = o.int("ephemeral_storage_free_mb", 0)
	c.CPU.FullVCPUMemoryMB, _ = o.int("full_vcpu_memory_mb", 0)
	c.CPU.Ceiling, _ = o.num("vcpu_ceiling", 0, false)
	b.CPUTiers = d.cpuTiers(o)
	if b.PricePerGHzSecond > 0 && len(b.CPUTiers) == 0 {
		o.fail("price_per_ghz_second", "a GHz-second price needs cpu_ghz_by_memory_mb (the clock of each memory tier)")
	}
	b.Tiers = d.priceTiers(o)
}

// cpuTiers reads cpu_ghz_by_memory_mb: {128: 0.2, 256: 0.4, ...}.
func (d *decoder) cpuTiers(o *object) []models.CPUTier {
	m, ok := o.sub("cpu_ghz_by_memory_mb")
	if !ok {
		return nil
	}
	var tiers []models.CPUTier
	for _, k := range slices.Sorted(maps.Keys(m.m)) {
		mb, err := strconv.Atoi(k)
		if err != nil || mb < 1 {
			m.fail(k, "want a memory size in MB, an integer >= 1, found %q", k)
			continue
		}
		ghz, ok := m.num(k, 0, true)
		if ok {
			tiers = append(tiers, models.CPUTier{MemoryMB: mb, GHz: ghz})
		}
	}
	slices.SortFunc(tiers, func(a, b models.CPUTier) int { return a.MemoryMB - b.MemoryMB })
	return tiers
}

// priceTiers reads price_tiers: [{above_gb_seconds: 6e9, price_per_gb_second: 0.000015}, ...].
func (d *decoder) priceTiers(o *object) []models.PriceTier {
	var tiers []models.PriceTier
	volumeTiers(o, "price_tiers", priceTierKeys[0], priceTierKeys[1], "GB-seconds", "USD per GB-second",
		func(above, price float64) {
			tiers = append(tiers, models.PriceTier{AboveGBSeconds: above, PricePerGBSecond: price})
		})
	return tiers
}

// volumeTiers reads the list at key, each entry {aboveKey: N > 0,
// priceKey: P >= 0} in ascending order of N (units and priced say what N
// and P are), and calls add for each good one.
func volumeTiers(o *object, key, aboveKey, priceKey, units, priced string, add func(above, price float64)) {
	list, _ := o.list(key)
	last := 0.0
	for _, t := range list {
		t.allow([]string{aboveKey, priceKey}, nil)
		okA := t.require(aboveKey, "the monthly "+units+" above which the price applies, a number > 0")
		okP := t.require(priceKey, priced+" in this tier, a number >= 0")
		above, ok1 := t.num(aboveKey, 0, true)
		price, ok2 := t.num(priceKey, 0, false)
		if !(okA && okP && ok1 && ok2) {
			continue
		}
		if last > 0 && above <= last {
			t.fail(aboveKey, "want tiers in ascending order; %g does not exceed the tier before (%g)", above, last)
			continue
		}
		last = above
		add(above, price)
	}
}

// serverPrice is price_per_hour, or (Fargate) vcpu × price_per_vcpu_hour +
// memory_gb × price_per_gb_hour.
func serverPrice(o *object) float64 {
	perCPU, perGB := o.has("price_per_vcpu_hour"), o.has("price_per_gb_hour")
	if !perCPU && !perGB {
		for _, k := range []string{"vcpu", "memory_gb"} {
			if o.has(k) {
				o.fail(k, "sizes a task priced per vCPU-hour and GB-hour; this system is priced per instance-hour (set price_per_vcpu_hour and price_per_gb_hour, or use platform aws-fargate-x86 / aws-fargate-arm)")
			}
		}
		if needPlatform(o, "price_per_hour") {
			p, _ := o.num("price_per_hour", 0, false)
			return p
		}
		return 0
	}
	if o.has("price_per_hour") {
		o.fail("price_per_hour", "give price_per_hour, or price_per_vcpu_hour and price_per_gb_hour (sized by vcpu and memory_gb), not both")
		return 0
	}
	okC := o.require("price_per_vcpu_hour", "USD per vCPU-hour, a number >= 0")
	okG := o.require("price_per_gb_hour", "USD per GB-hour, a number >= 0")
	okV := o.require("vcpu", "vCPUs per instance, a number > 0")
	okM := o.require("memory_gb", "GB of memory per instance, a number > 0")
	pc, ok1 := o.num("price_per_vcpu_hour", 0, false)
	pg, ok2 := o.num("price_per_gb_hour", 0, false)
	v, ok3 := o.num("vcpu", 0, true)
	m, ok4 := o.num("memory_gb", 0, true)
	if !(okC && okG && okV && okM && ok1 && ok2 && ok3 && ok4) {
		return 0
	}
	return v*pc + m*pg
}
