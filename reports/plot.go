package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// This file and plot_*.go are the only ones that know gonum/plot.

// Palette colours systems by their index in the scenario (Okabe–Ito: safe
// for colour-blind readers and in grey print), so a system keeps its colour
// in every plot and in every subset drawn with --systems.
var Palette = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0x00, 0x00, 0x00, 0xFF}, // black
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
}

// SystemColor is system i's colour in every plot.
func SystemColor(i int) color.RGBA { return Palette[i%len(Palette)] }

// PlotOptions choose what is drawn and how big; none changes a figure.
type PlotOptions struct {
	Width, Height vg.Length // one figure; default 16 cm × 10 cm (the timeline is 1.6× taller)
	Systems       []string  // names of the systems to draw; empty = all
}

// Figure is one plot, ready to render as PNG or SVG.
type Figure struct {
	Name  string // file name without extension: latency_cdf, cost_breakdown, timeline, cold_starts_by_function
	Title string // the finding, as the figure's title states it
	W, H  vg.Length
	draw  func(c draw.Canvas)
}

// Figures draws every figure the run supports: the latency CDF (when some
// system completed requests), the cost breakdown, the timeline (when time
// series were written) and cold starts per function (several functions).
func Figures(run *Run, o PlotOptions) ([]Figure, error) {
	idx, err := selectSystems(run.Results, o.Systems)
	if err != nil {
		return nil, err
	}
	w, h := o.Width, o.Height
	if w <= 0 {
		w = 16 * vg.Centimeter
	}
	if h <= 0 {
		h = 10 * vg.Centimeter
	}
	var figs []Figure
	add := func(name string, w, h vg.Length, p *plot.Plot) {
		figs = append(figs, Figure{Name: name, Title: p.Title.Text, W: w, H: h, draw: p.Draw})
	}
	if p := latencyCDF(run, idx); p != nil {
		add("latency_cdf", w, h, p)
	}
	add("cost_breakdown", w, h, costBreakdown(run.Results, idx))
	if f, ok := timeline(run, idx, w, h*16/10); ok {
		figs = append(figs, f)
	}
	if p := coldStartsByFunction(run.Results, idx); p != nil {
		add("cold_starts_by_function", w, h, p)
	}
	return figs, nil
}

// selectSystems maps names to indices (all systems when names is empty).
func selectSystems(r *Results, names []string) ([]int, error) {
	if len(names) == 0 {
		idx := make([]int, len(r.Systems))
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	var idx []int
	for _, n := range names {
		i := slices.IndexFunc(r.Systems, func(s SystemResult) bool { return s.Name == n })
		if i < 0 {
			var known []string
			for _, s := range r.Systems {
				known = append(known, s.Name)
			}
			return nil, fmt.Errorf("no system %q in the results; systems: %v", n, known)
		}
		idx = append(idx, i)
	}
	return idx, nil
}

// Render draws the figure as "png" (96 dpi) or "svg".
func (f Figure) Render(format string) ([]byte, error) {
	var b bytes.Buffer
	switch format {
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(f.W, f.H), vgimg.UseDPI(96))
		f.draw(draw.New(c))
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&b); err != nil {
			return nil, err
		}
	case "svg":
		c := vgsvg.New(f.W, f.H)
		f.draw(draw.New(c))
		if _, err := c.WriteTo(&b); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("plot format %q: want png or svg", format)
	}
	return b.Bytes(), nil
}

// WritePlots renders every figure in every format into dir, atomically,
// and returns the file names written.
func WritePlots(dir string, figs []Figure, formats []string) ([]string, error) {
	var names []string
	for _, f := range figs {
		for _, format := range formats {
			b, err := f.Render(format)
			if err != nil {
				return names, err
			}
			name := f.Name + "." + format
			if err := WriteFileAtomic(filepath.Join(dir, name), b); err != nil {
				return names, err
			}
			names = append(names, name)
		}
	}
	return names, nil
}

// newPlot is a plot in the house look: white, light grid, legend at the top.
func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	return p
}

// line is a solid line of width 1.5 pt in colour c.
func line(xys plotter.XYs, c color.Color) *plotter.Line {
	l, err := plotter.NewLine(xys)
	if err != nil {
		panic(err) // only for NaN or Inf, which callers filter out
	}
	l.Color = c
	l.Width = vg.Points(1.5)
	return l
}

// ratio prints a/b as "3.1x".
func ratio(a, b float64) string {
	if b == 0 {
		return "∞x"
	}
	r := a / b
	if r >= 10 {
		return fmt.Sprintf("%.0fx", r)
	}
	if r < 0.95 {
		return fmt.Sprintf("%.2gx", r)
	}
	return fmt.Sprintf("%.1fx", r)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
