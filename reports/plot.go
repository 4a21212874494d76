package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot/font"
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

// componentColors are the parts of a bill, from a family of greys and
// browns that no system colour uses, so a colour always means one thing:
// a system in every figure, a bill's component in the cost breakdown.
var componentColors = map[string]color.RGBA{
	"compute":    {0x3C, 0x3C, 0x3C, 0xFF}, // charcoal
	"requests":   {0xA6, 0xA6, 0xA6, 0xFF}, // grey
	"":           {0xD2, 0xC2, 0x9D, 0xFF}, // sand: idle / provisioned and any other item
	"servers":    {0x7A, 0x52, 0x30, 0xFF}, // brown
	"front_door": {0xB0, 0x7D, 0x48, 0xFF}, // tan: API gateway, load balancer
}

// PlotOptions choose what is drawn and how big; none changes a figure.
type PlotOptions struct {
	Width, Height vg.Length // one figure; default 16 cm × 10 cm (the timeline is twice as tall)
	Systems       []string  // names of the systems to draw; empty = all
}

// Figure is one plot, ready to render as PNG or SVG.
type Figure struct {
	Name  string // file name without extension: latency_cdf, tradeoff, power_tuning, ... (docs/reports.md)
	Title string // the finding, as the figure's title states it
	Read  string // how to read it, for report.html's "how to read this"
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
	if f, ok := latencyCDF(run, idx, w, h); ok {
		figs = append(figs, f)
	}
	figs = append(figs, costBreakdown(run.Results, idx, w, h))
	if f, ok := timeline(run, idx, w, 2*h); ok {
		figs = append(figs, f)
	}
	if f, ok := coldStartsByFunction(run.Results, idx, w, h); ok {
		figs = append(figs, f)
	}
	// The answer figures a run has the data for.
	d := fromRun(run.Results, idx)
	for _, f := range []func() (Figure, bool){
		func() (Figure, bool) { return tradeoff(d, w, h) },
		func() (Figure, bool) { return keepAliveFrontier(d, run.Results, w, h) },
		func() (Figure, bool) { return runPowerTuning(d, run.Results, w, h) },
	} {
		if fig, ok := f(); ok {
			figs = append(figs, fig)
		}
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
		c := &svgCanvas{Canvas: vgsvg.New(f.W, f.H)}
		f.draw(draw.New(c))
		if _, err := c.WriteTo(&b); err != nil {
			return nil, err
		}
		return c.fix(b.Bytes()), nil
	default:
		return nil, fmt.Errorf("plot format %q: want png or svg", format)
	}
	return b.Bytes(), nil
}

// svgCanvas is gonum's SVG canvas noting the width each text was laid out
// at, so that fix can hold every text to it.
type svgCanvas struct {
	*vgsvg.Canvas
	widths []vg.Length
}

func (c *svgCanvas) FillString(f font.Face, pt vg.Point, s string) {
	c.widths = append(c.widths, f.Width(s))
	c.Canvas.FillString(f, pt, s)
}

// fix makes the SVG's text keep the widths it was measured at, whatever
// font the browser has: each text element gets its measured textLength
// (glyphs stretched or squeezed to it), and Liberation Sans falls back on
// its metric twins and then any sans-serif, never a serif. Without this, a
// browser lacking Liberation Sans draws wider text that runs into bars.
func (c *svgCanvas) fix(svg []byte) []byte {
	svg = bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;"))
	parts := bytes.Split(svg, []byte("<text "))
	if len(parts)-1 != len(c.widths) {
		return svg // not gonum's one element per text: leave it be
	}
	var b bytes.Buffer
	b.Write(parts[0])
	for i, p := range parts[1:] {
		fmt.Fprintf(&b, `<text textLength="%.2f" lengthAdjust="spacingAndGlyphs" `, float64(c.widths[i]))
		b.Write(p)
	}
	return b.Bytes()
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

// WriteRunFigures draws a run's figures (Figures) into dir in every
// format and, with html, its report.html (RunReport); it returns the
// figures. faasim run --out and faasim plot DIR both write with it.
func WriteRunFigures(dir string, run *Run, o PlotOptions, formats []string, html bool) ([]Figure, error) {
	return writeFiguresAndPage(dir, formats, html, func() ([]Figure, error) { return Figures(run, o) },
		func() ([]byte, error) { return RunReport(run, o) })
}

// writeFiguresAndPage writes the figures in every format and, with html,
// the page.
func writeFiguresAndPage(dir string, formats []string, html bool, figures func() ([]Figure, error), page func() ([]byte, error)) ([]Figure, error) {
	figs, err := figures()
	if err != nil {
		return nil, err
	}
	if _, err := WritePlots(dir, figs, formats); err != nil {
		return nil, err
	}
	if html {
		b, err := page()
		if err != nil {
			return nil, err
		}
		if err := WriteFileAtomic(filepath.Join(dir, "report.html"), b); err != nil {
			return nil, err
		}
	}
	return figs, nil
}

// plotterGrid is a light grid behind the data.
func plotterGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xE0}
	g.Horizontal.Color = color.Gray{Y: 0xE0}
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	return g
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

// systemDashes: every other system is dashed, so coinciding lines show.
func systemDashes(i int) []vg.Length {
	if i%2 == 1 {
		return []vg.Length{vg.Points(6), vg.Points(3)}
	}
	return nil
}

// systemLine is system i's line style: its colour, dashed for every other.
func systemLine(i int) draw.LineStyle {
	return draw.LineStyle{Color: SystemColor(i), Width: vg.Points(1.5), Dashes: systemDashes(i)}
}

// lineThumb draws a legend swatch as a short line.
type lineThumb draw.LineStyle

func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(draw.LineStyle(t), c.Min.X, y, c.Max.X, y)
}

// boxThumb draws a legend swatch as a filled box.
type boxThumb struct{ c color.Color }

func (t boxThumb) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(t.c, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// sameGroups partitions idx into runs of systems for which same holds
// against the group's first member, in first-appearance order: systems
// whose curves coincide exactly are drawn once and named together.
func sameGroups(idx []int, same func(a, b int) bool) [][]int {
	var gs [][]int
	for _, i := range idx {
		k := slices.IndexFunc(gs, func(g []int) bool { return same(g[0], i) })
		if k < 0 {
			gs = append(gs, []int{i})
			continue
		}
		gs[k] = append(gs[k], i)
	}
	return gs
}

// groupName names a group: "a", or "a = b = c (identical)".
func groupName(r *Results, g []int) string {
	names := make([]string, len(g))
	for k, i := range g {
		names[k] = r.Systems[i].Name
	}
	if len(g) == 1 {
		return names[0]
	}
	return strings.Join(names, " = ") + " (identical)"
}

// failure says what share of s's requests failed and how ("35.9%",
// "timed out"); ok is false when none did. A figure of completed requests
// must not hide the ones that never were.
func failure(s *SystemResult) (share, how string, ok bool) {
	n := s.Rejected + s.TimedOut
	if n == 0 || s.Requests == 0 {
		return "", "", false
	}
	how = "rejected or timed out"
	switch {
	case s.TimedOut == 0:
		how = "rejected"
	case s.Rejected == 0:
		how = "timed out"
	}
	return pct(100*float64(n)/float64(s.Requests)) + "%", how, true
}

// failNote is "35.9% timed out", "" when no request failed.
func failNote(s *SystemResult) string {
	if share, how, ok := failure(s); ok {
		return share + " " + how
	}
	return ""
}

// failClause is "fleet-baseline timed out 35.9% of its requests", "" when
// no request failed.
func failClause(s *SystemResult) string {
	if share, how, ok := failure(s); ok {
		return fmt.Sprintf("%s %s %s of its requests", s.Name, how, share)
	}
	return ""
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
