package main

import (
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
