package scenarios

import (
	"slices"
	"strings"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
)

// A system's purchase (docs/platforms.md, "Purchase options"): how its
// compute is bought. A fleet: on demand, a 1- or 3-year Compute Savings
// Plan or reserved instances (a commitment of committed_instances every
// clock-hour), or spot (with optional interruptions). A FaaS system: on
// demand or a Compute Savings Plan. The discount comes from the purchase,
// or else from the platform's purchase_discounts, where the catalogue has a
// sourced figure.

var (
	purchaseKeys     = []string{"option", "discount", "committed_instances", "interruption"}
	interruptionKeys = []string{"every", "notice"}
	purchaseOptions  = map[string]models.PurchaseOption{"on-demand": models.OnDemand,
		"savings-plan-1y": models.Commitment, "savings-plan-3y": models.Commitment,
		"reserved-1y": models.Commitment, "reserved-3y": models.Commitment, "spot": models.Spot}
	serverPurchaseOptions = []string{"on-demand", "savings-plan-1y", "savings-plan-3y", "reserved-1y", "reserved-3y", "spot"}
	faasPurchaseOptions   = []string{"on-demand", "savings-plan-1y", "savings-plan-3y"}
)

// DefaultSpotNotice is EC2's interruption notice: "a warning that is
// issued two minutes before Amazon EC2 stops or terminates your Spot
// Instance".
const DefaultSpotNotice = 2 * time.Minute

// purchaseAllowed are the options a system of kind typ on preset may buy:
// the preset's purchase_options limit if it has one; else every fleet
// option, and for FaaS the savings plans only without a preset (a preset
// without the limit is on demand only: Cloud Run's committed use discounts
// and Azure's savings plan are not modelled).
func purchaseAllowed(typ string, preset *models.Preset) []string {
	if preset != nil {
		if l, ok := preset.Limits["purchase_options"].([]any); ok {
			var out []string
			for _, v := range l {
				if s, ok := v.(string); ok {
					out = append(out, s)
				}
			}
			return out
		}
	}
	switch {
	case typ == "server":
		return serverPurchaseOptions
	case preset == nil:
		return faasPurchaseOptions
	}
	return []string{"on-demand"}
}

// purchase decodes systems[i].purchase (and the purchase_discounts it may
// take its discount from) into sys.
func (d *decoder) purchase(o *object, sys *System, preset *models.Preset) {
	discounts := d.purchaseDiscounts(o)
	if !o.has("purchase") {
		return
	}
	raw := o.m["purchase"]
	if s, ok := raw.(string); ok {
		raw = map[string]any{"option": s} // purchase: savings-plan-1y
	}
	m, isMap := raw.(map[string]any)
	if !isMap {
		o.fail("purchase", "want an option (%s) or a map like {option: spot, discount: 0.6}, found %s",
			strings.Join(serverPurchaseOptions, " | "), describe(raw))
		return
	}
	p := d.object(o.at("purchase"), m)
	p.allow(purchaseKeys, nil)
	allowed := purchaseAllowed(sys.Type, preset)
	if !p.require("option", strings.Join(allowed, " | ")) {
		return
	}
	name, ok := p.str("option")
	if !ok {
		return
	}
	if !slices.Contains(allowed, name) {
		where := "a " + sys.Type + " system"
		if preset != nil {
			where = "platform " + preset.Name
		}
		p.fail("option", "%q is not offered on %s; want %s", name, where, strings.Join(allowed, " | "))
		return
	}
	opt := purchaseOptions[name]
	if opt == models.OnDemand {
		for _, k := range []string{"discount", "committed_instances", "interruption"} {
			if p.has(k) {
				p.fail(k, "on-demand takes no %s", k)
			}
		}
		return
	}
	discount, ok := 0.0, false
	if p.has("discount") {
		if discount, ok = p.num("discount", 0, false); ok && discount >= 1 {
			p.fail("discount", "want a fraction off the on-demand price, from 0 to below 1, found %v", p.m["discount"])
			return
		}
	} else if discount, ok = discounts[name]; !ok {
		src := "no sourced discount for " + name + " in the catalogue"
		if preset != nil {
			src = "platform " + preset.Name + " has " + src
		}
		hint := "the AWS Savings Plans and Reserved Instances pricing pages list them per instance type"
		if opt == models.Spot {
			hint = "spot prices vary by zone and hour; the Spot Instance Advisor lists each type's savings over On-Demand"
		}
		p.fail("discount", "missing: %s; give it as a fraction off the on-demand price (%s)", src, hint)
		return
	}
	if !ok {
		return
	}
	if sys.Type == "faas" {
		for _, k := range []string{"committed_instances", "interruption"} {
			if p.has(k) {
				p.fail(k, "a FaaS savings plan takes no %s (its commitment is taken to match the usage)", k)
			}
		}
		sys.FaaS.Billing.SavingsPlan, sys.FaaS.Billing.SavingsPlanDiscount = name, discount
		return
	}
	c := sys.Server
	c.Purchase = models.Purchase{Option: opt, Name: name, Discount: discount}
	switch opt {
	case models.Commitment:
		if p.has("interruption") {
			p.fail("interruption", "only spot instances are interrupted")
		}
		c.Purchase.Committed = committedDefault(c)
		if p.has("committed_instances") {
			c.Purchase.Committed, _ = p.int("committed_instances", 0)
		}
	case models.Spot:
		c.Purchase.FreeFirstHour, _ = o.bool("spot_first_hour_free")
		if p.has("committed_instances") {
			p.fail("committed_instances", "spot has no commitment")
		}
		if p.has("interruption") {
			c.Purchase.Interruption = d.interruption(p)
		}
	}
}

// committedDefault is the commitment a fleet buys unless told: its static
// size, or the floor a scaled fleet never goes below (autoscale min, the
// schedule's least count).
func committedDefault(c *models.ServerConfig) int {
	if c.Autoscale == nil && c.Schedule == nil {
		return c.Instances
	}
	floor := 0
	if len(c.Schedule) > 0 {
		floor = c.Schedule[0].Instances
		for _, s := range c.Schedule {
			floor = min(floor, s.Instances)
		}
	}
	if c.Autoscale != nil {
		floor = max(floor, c.Autoscale.Min)
	}
	return floor
}

// interruption reads purchase.interruption: {every: 720h, notice: 2m}.
func (d *decoder) interruption(p *object) models.Interruption {
	o, ok := p.sub("interruption")
	if !ok {
		return models.Interruption{}
	}
	o.allow(interruptionKeys, nil)
	in := models.Interruption{Notice: DefaultSpotNotice}
	if o.require("every", "the mean time from an instance's launch to its interruption, a duration like 720h") {
		if every, ok := o.positive("every"); ok {
			in.After = dist.Exponential{MeanS: every.Seconds()}
		}
	}
	if o.has("notice") {
		in.Notice, _ = o.duration("notice")
	}
	return in
}

// purchaseDiscounts reads purchase_discounts: {savings-plan-1y: 0.365, ...}.
func (d *decoder) purchaseDiscounts(o *object) map[string]float64 {
	if !o.has("purchase_discounts") {
		return nil
	}
	m, ok := o.sub("purchase_discounts")
	if !ok {
		return nil
	}
	out := map[string]float64{}
	for _, k := range sorted(keysOfAny(m.m)) {
		if opt, known := purchaseOptions[k]; !known || opt == models.OnDemand {
			m.fail(k, "unknown purchase option; want %s", strings.Join(serverPurchaseOptions[1:], ", "))
			continue
		}
		if v, ok := m.num(k, 0, false); ok {
			if v >= 1 {
				m.fail(k, "want a fraction from 0 to below 1, found %v", v)
				continue
			}
			out[k] = v
		}
	}
	return out
}

func keysOfAny(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// interrupted reports whether a system's purchase, as written, has spot
// interruptions (its replacements then boot, as a scaled fleet's launches).
func interrupted(o *object) bool {
	m, ok := o.m["purchase"].(map[string]any)
	if !ok {
		return false
	}
	_, has := m["interruption"]
	return has
}
