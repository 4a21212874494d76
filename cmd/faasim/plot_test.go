package main

import (
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/faasim/faasim/reports"
)

// checkFigureLayout redraws the figures of a results directory at the
// default size and at 10 cm × 7 cm and fails on any text that leaves its
// canvas, overlaps another, lies on a curve or bar, or is painted over:
// what a reader of that example's plots would otherwise have to spot.
func checkFigureLayout(t *testing.T, dir string) {
	t.Helper()
	run, err := reports.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []reports.PlotOptions{{}, {Width: 10 * vg.Centimeter, Height: 7 * vg.Centimeter}} {
		figs, err := reports.Figures(run, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range figs {
			if err := f.CheckLayout(); err != nil {
				t.Errorf("%v × %v: %v", o.Width, o.Height, err)
			}
		}
	}
}

// checkSweepLayout does the same for a sweep directory's figures, which it
// also requires to be the ones the directory holds.
func checkSweepLayout(t *testing.T, dir string) {
	t.Helper()
	s, err := reports.ReadSweepDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []reports.PlotOptions{{}, {Width: 10 * vg.Centimeter, Height: 7 * vg.Centimeter}} {
		figs, err := reports.SweepFigures(s, o)
		if err != nil {
			t.Fatal(err)
		}
		if len(figs) == 0 {
			t.Error("no figure for the sweep")
		}
		for _, f := range figs {
			if err := f.CheckLayout(); err != nil {
				t.Errorf("%v × %v: %v", o.Width, o.Height, err)
			}
			if _, err := os.Stat(filepath.Join(dir, f.Name+".png")); o.Width == 0 && err != nil {
				t.Errorf("faasim sweep --out did not write %s.png: %v", f.Name, err)
			}
		}
	}
}
