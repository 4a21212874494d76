package models

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Preset is a platform's published figures as data: scenario keys that a
// system of this platform starts from (any of them can be overridden in the
// scenario), with the source and date of every figure.
type Preset struct {
	Name        string         `json:"name"`
	Kind        string         `json:"kind"` // "faas" or "server"
	Description string         `json:"description"`
	Keys        map[string]any `json:"keys"`   // scenario keys, decoded like a user's
	Limits      map[string]any `json:"limits"` // hard platform limits, checked on the merged keys
	Sources     []Source       `json:"sources"`
}

// Source says where a figure comes from.
type Source struct {
	Keys       string `json:"keys"`
	Figure     string `json:"figure"`
	Source     string `json:"source"`
	Read       string `json:"read"`
	Unverified bool   `json:"unverified,omitempty"`
}

//go:embed platforms/*.json
var platformFS embed.FS

var presets = mustLoadPresets()

func mustLoadPresets() map[string]Preset {
	ents, err := platformFS.ReadDir("platforms")
	if err != nil {
		panic(err)
	}
	m := map[string]Preset{}
	for _, e := range ents {
		b, err := platformFS.ReadFile(path.Join("platforms", e.Name()))
		if err != nil {
			panic(err)
		}
		var p Preset
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			panic(fmt.Sprintf("models: preset %s: %v", e.Name(), err))
		}
		if p.Name+".json" != e.Name() {
			panic(fmt.Sprintf("models: preset file %s names %q", e.Name(), p.Name))
		}
		m[p.Name] = p
	}
	return m
}

// LookupPreset returns the named preset.
func LookupPreset(name string) (Preset, bool) {
	p, ok := presets[name]
	return p, ok
}

// PresetNames lists every preset, sorted.
func PresetNames() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
