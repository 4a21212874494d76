package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/faasim/faasim/models"
	"github.com/faasim/faasim/sim/dist"
)

// A system's front_door (docs/platforms.md, "Front doors"): a gateway or
// load balancer in front of it, named by type (a front-door preset, listed
// by faasim platforms) with any of its keys overridden.

// FrontDoorKind is the preset kind of front doors.
const FrontDoorKind = "front-door"

var (
	frontDoorKeys = []string{"type", "pricing", "latency", "timeout"}
	// keys beside those, by pricing
	frontDoorPricingKeys = map[string][]string{
		"free":        nil,
		"per-request": {"price_per_million_requests", "request_tiers"},
		"load-balancer": {"price_per_hour", "price_per_lcu_hour", "kb_per_request", "requests_per_connection", "rules",
			"new_connections_per_lcu", "active_connections_per_lcu", "processed_gb_per_lcu_hour",
			"processed_gb_per_lcu_hour_lambda", "rule_evaluations_per_lcu", "free_rules"},
	}
	frontDoorPricing = map[string]models.FrontDoorPricing{"free": models.FrontDoorFree,
		"per-request": models.FrontDoorPerRequest, "load-balancer": models.FrontDoorLoadBalancer}
	requestTierKeys = []string{"above_requests", "price_per_million_requests"}
	// frontDoorFor restricts a front door to systems of one kind.
	frontDoorFor = map[string]string{"aws-lambda-function-url": "faas", "gcp-cloud-run-ingress": "faas"}
)

// frontDoorNames lists the front-door presets, sorted.
func frontDoorNames() []string {
	var names []string
	for _, n := range models.PresetNames() {
		if p, _ := models.LookupPreset(n); p.Kind == FrontDoorKind {
			names = append(names, n)
		}
	}
	return names
}

// frontDoor decodes systems[i].front_door for a system of kind typ.
func (d *decoder) frontDoor(sys *object, typ string) *models.FrontDoorConfig {
	v := sys.m["front_door"]
	raw, isMap := v.(map[string]any)
	if !isMap {
		sys.fail("front_door", "want a map like {type: aws-api-gateway-http}, found %s", describe(v))
		return nil
	}
	o := d.object(sys.at("front_door"), raw)
	names := frontDoorNames()
	if !o.require("type", "a front door: "+strings.Join(names, " | ")) {
		return nil
	}
	name, ok := o.str("type")
	if !ok {
		return nil
	}
	p, found := models.LookupPreset(name)
	if !found || p.Kind != FrontDoorKind {
		o.fail("type", "want one of %s, found %q", strings.Join(names, " | "), name)
		return nil
	}
	if want, ok := frontDoorFor[name]; ok && want != typ {
		o.fail("type", "%s fronts %s systems only; this system is %s", name, want, typ)
		return nil
	}
	o = d.object(o.path, withDefaults(normalize(p.Keys).(map[string]any), raw))
	n := len(d.probs)
	c := &models.FrontDoorConfig{Name: name}
	pricing, _ := o.oneOf("pricing", keysOf(frontDoorPricing)...)
	c.Pricing = frontDoorPricing[pricing]
	o.allow(append(slices.Clone(frontDoorKeys), frontDoorPricingKeys[pricing]...), nil)
	if o.has("latency") {
		c.Latency, _ = o.distribution("latency")
		if k, ok := c.Latency.(dist.Constant); ok && k.Value == 0 {
			c.Latency = nil // nothing added: no draws
		}
	}
	c.Timeout, _ = o.duration("timeout")
	if s, ok := p.Limits["max_timeout"].(string); ok {
		if lim, err := time.ParseDuration(s); err == nil && c.Timeout > lim {
			o.fail("timeout", "%v exceeds %s's limit; want a duration from 0 (none) to %v", c.Timeout, name, lim)
		}
	}
	switch c.Pricing {
	case models.FrontDoorPerRequest:
		c.PricePerMillionRequests, _ = o.num("price_per_million_requests", 0, false)
		c.Tiers = d.requestTiers(o)
	case models.FrontDoorLoadBalancer:
		c.PricePerHour, _ = o.num("price_per_hour", 0, false)
		c.PricePerLCUHour, _ = o.num("price_per_lcu_hour", 0, false)
		kb, _ := o.num("kb_per_request", 0, false)
		c.BytesPerRequest = kb * 1000 // the pricing page's KB and GB are decimal
		c.RequestsPerConnection, _ = o.num("requests_per_connection", 1, false)
		c.Rules, _ = o.int("rules", 0)
		u := &c.Unit
		u.NewConnectionsPerSecond, _ = o.num("new_connections_per_lcu", 0, true)
		u.ActiveConnections, _ = o.num("active_connections_per_lcu", 0, true)
		gb := "processed_gb_per_lcu_hour"
		if typ == "faas" {
			gb = "processed_gb_per_lcu_hour_lambda" // Lambda targets
		}
		u.ProcessedGBPerHour, _ = o.num(gb, 0, true)
		u.RuleEvaluationsPerSec, _ = o.num("rule_evaluations_per_lcu", 0, true)
		u.FreeRules, _ = o.int("free_rules", 0)
	}
	if len(d.probs) > n {
		return nil
	}
	return c
}

// requestTiers reads request_tiers: [{above_requests: 333e6, price_per_million_requests: 2.8}, ...].
func (d *decoder) requestTiers(o *object) []models.VolumeTier {
	var tiers []models.VolumeTier
	volumeTiers(o, "request_tiers", requestTierKeys[0], requestTierKeys[1], "requests", "USD per million requests",
		func(above, price float64) {
			tiers = append(tiers, models.VolumeTier{AboveRequests: above, PricePerMillion: price})
		})
	return tiers
}

// notAFrontDoor is the message for a front door named as a system's platform.
func notAFrontDoor(name string) string {
	return fmt.Sprintf("%s is a front door, not a platform; put it in front of a system with front_door: {type: %s}", name, name)
}
