package main

import (
	"strings"
	"testing"

	"github.com/faasim/faasim/models"
)

// TestPlatformsCatalogue: every preset is listed with its kind and read
// date, its UNVERIFIED keys are marked under it, `platforms NAME` shows each
// one (Cloud Run in full, golden), and an unknown name lists every known one.
func TestPlatformsCatalogue(t *testing.T) {
	list, _, code := faasim(t, "platforms")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(list, "\n")
	for _, name := range models.PresetNames() {
		p, _ := models.LookupPreset(name)
		row := -1
		for i, l := range lines {
			if strings.HasPrefix(l, name+" ") {
				row = i
			}
		}
		if row < 0 || !strings.Contains(lines[row], " "+p.Kind+" ") {
			t.Errorf("%s: no row with its kind in\n%s", name, list)
			continue
		}
		var unverified []string
		for _, s := range p.Sources {
			if s.Unverified {
				unverified = append(unverified, s.Keys)
			}
		}
		if len(unverified) > 0 && !strings.Contains(lines[row+1], "UNVERIFIED: "+strings.Join(unverified, "; ")) {
			t.Errorf("%s: UNVERIFIED keys not marked under its row: %q", name, lines[row+1])
		}
		out, _, code := faasim(t, "platforms", name)
		if code != 0 || !strings.HasPrefix(out, name+" ("+p.Kind+")") || strings.Count(out, "UNVERIFIED") != len(unverified) {
			t.Errorf("platforms %s: exit %d\n%s", name, code, out)
		}
	}
	out, _, _ := faasim(t, "platforms", "gcp-cloud-run")
	golden(t, "platforms-gcp-cloud-run.golden", []byte(out))
	// A front door: its keys are those of a system's front_door.
	out, _, _ = faasim(t, "platforms", "aws-api-gateway-rest")
	golden(t, "platforms-aws-api-gateway-rest.golden", []byte(out))
	_, stderr, code := faasim(t, "platforms", "lambda")
	if code != 2 || !strings.Contains(stderr, `unknown platform "lambda"; known: `+strings.Join(models.PresetNames(), ", ")) {
		t.Errorf("unknown platform: exit %d, %s", code, stderr)
	}
}
