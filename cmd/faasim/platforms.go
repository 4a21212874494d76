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

// headline is the figure a list shows for a preset: its prices.
func headline(p models.Preset) string {
	var parts []string
	for _, k := range []string{"price_per_gb_second", "price_per_million_requests", "price_per_hour"} {
		if v, ok := p.Keys[k].(float64); ok {
			parts = append(parts, k+" "+strconv.FormatFloat(v, 'f', -1, 64))
		}
	}
	return strings.Join(parts, ", ")
}

func read(p models.Preset) string {
	dates := map[string]bool{}
	unverified := false
	for _, s := range p.Sources {
		dates[s.Read] = true
		unverified = unverified || s.Unverified
	}
	var ds []string
	for d := range dates {
		ds = append(ds, d)
	}
	sort.Strings(ds)
	out := strings.Join(ds, ", ")
	if unverified {
		out += " (some figures UNVERIFIED)"
	}
	return out
}

func listPlatforms(w io.Writer) {
	for _, name := range models.PresetNames() {
		p, _ := models.LookupPreset(name)
		fmt.Fprintf(w, "%-20s %-6s %-66s read %s\n", p.Name, p.Kind, headline(p), read(p))
	}
	fmt.Fprintln(w, "\nfaasim platforms NAME shows every figure of a preset with its source.")
}

func showPlatform(w io.Writer, p models.Preset) {
	fmt.Fprintf(w, "%s (%s): %s\n\nscenario keys (any of them can be overridden in a system):\n", p.Name, p.Kind, p.Description)
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
