package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faasim/faasim/models"
)

func newPlatformsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "platforms [NAME]",
		Short: "List the built-in platform presets, or show one with the source of every figure",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError{fmt.Errorf("platforms takes at most one preset name; got %d", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			if len(args) == 0 {
				listPlatforms(w)
				return nil
			}
			p, ok := models.LookupPreset(args[0])
			if !ok {
				return usageError{fmt.Errorf("unknown platform %q; known: %s", args[0], strings.Join(models.PresetNames(), ", "))}
			}
			showPlatform(w, p)
			return nil
		},
	}
}

// priceLabels are the price keys a list shows, in order, with their units.
var priceLabels = []struct{ key, unit string }{
	{"price_per_gb_second", "/GB-s"},
	{"price_per_vcpu_second", "/vCPU-s"},
	{"price_per_ghz_second", "/GHz-s"},
	{"price_per_million_requests", "/1M req"},
	{"baseline_price_per_gb_second", "/GB-s baseline"},
	{"price_per_hour", "/h"},
	{"price_per_vcpu_hour", "/vCPU-h"},
	{"price_per_gb_hour", "/GB-h"},
	{"price_per_lcu_hour", "/LCU-h"},
	{"ephemeral_storage_price_per_gb_second", "/GB-s storage"},
}

// prices is what a list shows of a preset's prices.
func prices(p models.Preset) string {
	var parts []string
	for _, l := range priceLabels {
		if v, ok := p.Keys[l.key].(float64); ok && (v != 0 || l.key == "price_per_million_requests") {
			part := "$" + strconv.FormatFloat(v, 'f', -1, 64) + l.unit
			tiers := map[string]string{"price_per_gb_second": "price_tiers", "price_per_million_requests": "request_tiers"}[l.key]
			if _, tiered := p.Keys[tiers]; tiered {
				part += " (tiered)"
			}
			parts = append(parts, part)
		}
	}
	if len(parts) == 0 && p.Keys["pricing"] == "free" {
		return "free"
	}
	return strings.Join(parts, ", ")
}

// limits is what a list shows of a preset's scaling and size limits.
func limits(p models.Preset) string {
	var parts []string
	num := func(k, label string) {
		if v, ok := p.Keys[k].(float64); ok && v > 0 {
			parts = append(parts, label+" "+strconv.FormatFloat(v, 'f', -1, 64))
		}
	}
	num("account_concurrency", "account")
	num("max_concurrency", "instances")
	num("burst_rate", "burst/10s")
	if v, ok := p.Keys["instance_concurrency"].(float64); ok && v > 1 {
		num("instance_concurrency", "per-instance")
	}
	lo, okLo := p.Limits["min_memory_mb"].(float64)
	hi, okHi := p.Limits["max_memory_mb"].(float64)
	if okLo && okHi {
		parts = append(parts, fmt.Sprintf("%g-%g MB", lo, hi))
	}
	maxT, hasMax := p.Limits["max_timeout"].(string)
	if t, ok := p.Keys["timeout"].(string); ok && p.Kind == "front-door" && t != "0s" {
		part := "timeout " + t
		if hasMax && maxT != t {
			part += " (max " + maxT + ")"
		}
		parts = append(parts, part)
	} else if hasMax {
		parts = append(parts, "timeout "+maxT)
	}
	if m, ok := p.Keys["billing_minimum"].(string); ok && p.Kind == "server" {
		parts = append(parts, "billed per second, "+m+" minimum")
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// read is the dates a preset's figures were read, sorted.
func read(p models.Preset) string {
	dates := map[string]bool{}
	for _, s := range p.Sources {
		dates[s.Read] = true
	}
	ds := make([]string, 0, len(dates))
	for d := range dates {
		ds = append(ds, d)
	}
	sort.Strings(ds)
	return strings.Join(ds, ", ")
}

// unverified lists the keys whose figures could not be confirmed from a
// primary page, in source order.
func unverified(p models.Preset) string {
	var ks []string
	for _, s := range p.Sources {
		if s.Unverified {
			ks = append(ks, s.Keys)
		}
	}
	return strings.Join(ks, "; ")
}

func listPlatforms(w io.Writer) {
	rows := [][]string{{"NAME", "KIND", "PRICES (USD)", "LIMITS", "READ"}}
	notes := []string{""}
	for _, name := range models.PresetNames() {
		p, _ := models.LookupPreset(name)
		rows = append(rows, []string{p.Name, p.Kind, prices(p), limits(p), read(p)})
		notes = append(notes, unverified(p))
	}
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len(c))
		}
	}
	for k, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i < len(r)-1 {
				fmt.Fprintf(&b, "%-*s  ", width[i], c)
			} else {
				b.WriteString(c)
			}
		}
		fmt.Fprintln(w, b.String())
		if notes[k] != "" {
			fmt.Fprintf(w, "%*s  UNVERIFIED: %s\n", width[0], "", notes[k])
		}
	}
	fmt.Fprintln(w, "\nUNVERIFIED figures could not be confirmed from a primary page; override them in a scenario if you know better.")
	fmt.Fprintln(w, "faasim platforms NAME shows every figure of a preset with its source.")
}

func showPlatform(w io.Writer, p models.Preset) {
	where := "in a system"
	if p.Kind == "front-door" {
		where = "in a system's front_door: {type: " + p.Name + ", ...}"
	}
	fmt.Fprintf(w, "%s (%s): %s\n\nscenario keys (any of them can be overridden %s):\n", p.Name, p.Kind, p.Description, where)
	keys := make([]string, 0, len(p.Keys))
	for k := range p.Keys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b, _ := json.Marshal(p.Keys[k])
		fmt.Fprintf(w, "  %-28s %s\n", k, b)
	}
	if len(p.Limits) > 0 {
		fmt.Fprintln(w, "\nlimits:")
		lk := make([]string, 0, len(p.Limits))
		for k := range p.Limits {
			lk = append(lk, k)
		}
		sort.Strings(lk)
		for _, k := range lk {
			fmt.Fprintf(w, "  %-28s %v\n", k, p.Limits[k])
		}
	}
	fmt.Fprintln(w, "\nsources:")
	for _, s := range p.Sources {
		mark := ""
		if s.Unverified {
			mark = " UNVERIFIED"
		}
		fmt.Fprintf(w, "  %s:%s %s\n    from %s, read %s\n", s.Keys, mark, s.Figure, s.Source, s.Read)
	}
}
