package reports

import (
	"cmp"
	"image/color"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The house look of every figure: Liberation Sans (metric-compatible with
// Arial and Helvetica, the sans-serif the HTML page falls back on), a
// left-aligned title wrapped to the width, the legend as a block of
// columns between the title and the data so that it never covers a curve,
// and the plot body below.

// Font sizes, points.
const (
	titleSize   = 11
	headingSize = 9 // panel headings of multi-panel figures
	labelSize   = 9 // axis labels
	tickSize    = 8
	legendSize  = 9
)

// sans is Liberation Sans at size points.
func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// textStyle is left-aligned, top-anchored sans text in colour c.
func textStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: sans(size), XAlign: draw.XLeft, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
}

var (
	ink     = color.Gray{Y: 0x22}
	subdued = color.Gray{Y: 0x55}
)

// newAxes is a plot in the house look with no title: sans labels and
// ticks, a light grid. Titles and legends belong to the frame.
func newAxes(x, y string) *plot.Plot {
	p := plot.New()
	p.X.Label.Text, p.Y.Label.Text = x, y
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(labelSize)
		a.Label.TextStyle.Color = ink
		a.Tick.Label.Font = sans(tickSize)
		a.Tick.Label.Color = ink
		a.Label.Padding = vg.Points(3)
	}
	p.BackgroundColor = nil // the frame paints the page once; a panel's own fill could cover its neighbour
	p.Add(plotterGrid())
	return p
}

// legendEntry is one item of a figure's legend: a label and the
// thumbnails that draw its swatch (a line, a bar, a glyph).
type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

// frame is a figure's page: title, legend, body. It lays itself out on
// whatever canvas it is given, so one figure renders at any size.
type frame struct {
	title  string
	legend []legendEntry
	body   func(c draw.Canvas)
}

// Margins, points.
const (
	outerPad    = 6
	legendGapX  = 12 // between legend columns
	thumbWidth  = 18
	thumbGap    = 4
	sectionGap  = 4 // title to legend, legend to body
	lineSpacing = 1.2
)

func (f frame) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	in := draw.Crop(c, outerPad, -outerPad, outerPad, -outerPad)
	top := in.Max.Y
	w := in.Max.X - in.Min.X
	if f.title != "" {
		st := textStyle(titleSize, ink)
		for _, l := range wrapText(f.title, st, w) {
			in.FillText(st, vg.Point{X: in.Min.X, Y: top}, l)
			top -= st.Font.Size * lineSpacing
		}
		top -= sectionGap
	}
	if len(f.legend) > 0 {
		top -= drawLegend(in, top, f.legend)
		top -= sectionGap
	}
	in.Max.Y = top
	if in.Max.Y-in.Min.Y < vg.Points(20) || w < vg.Points(20) {
		return // no room left for a body: a figure far too small for its legend
	}
	f.body(in)
}

// height is the least height the frame needs at width w to leave body
// points for its body.
func (f frame) height(w, body vg.Length) vg.Length {
	w -= 2 * outerPad
	h := 2*outerPad + body
	if f.title != "" {
		st := textStyle(titleSize, ink)
		h += vg.Length(len(wrapText(f.title, st, w)))*st.Font.Size*lineSpacing + sectionGap
	}
	if len(f.legend) > 0 {
		h += legendLayout(f.legend, w).height + sectionGap
	}
	return h
}

// figure is the frame as a Figure of width w and height h, made taller
// where the title and legend would leave less than body for the plot:
// a figure that keeps its size but loses its data answers nothing.
func (f frame) figure(name string, w, h, body vg.Length) Figure {
	return Figure{Name: name, Title: f.title, Read: readFor(name), W: w, H: max(h, f.height(w, body)), draw: f.draw}
}

// legendGrid is where a legend's entries go: lines[i] is entry i's label
// wrapped, in cols columns colW wide.
type legendGrid struct {
	lines  [][]string
	cols   int
	colW   vg.Length
	height vg.Length
}

// legendLayout lays the entries out in as many equal columns as fit the
// width w, row by row; a label too wide for one column of the full width
// wraps.
func legendLayout(entries []legendEntry, w vg.Length) legendGrid {
	st := textStyle(legendSize, ink)
	textW := w - thumbWidth - thumbGap
	g := legendGrid{lines: make([][]string, len(entries))}
	for i, e := range entries {
		g.lines[i] = wrapText(e.label, st, textW)
		for _, l := range g.lines[i] {
			g.colW = max(g.colW, thumbWidth+thumbGap+st.Width(l))
		}
	}
	g.cols = min(max(1, int((w+legendGapX)/(g.colW+legendGapX))), len(entries))
	if g.cols > 1 {
		// Spread the columns over the width.
		g.colW = (w - legendGapX*vg.Length(g.cols-1)) / vg.Length(g.cols)
	}
	for row := 0; row*g.cols < len(entries); row++ {
		n := 1
		for k := 0; k < g.cols && row*g.cols+k < len(entries); k++ {
			n = max(n, len(g.lines[row*g.cols+k]))
		}
		g.height += vg.Length(n) * st.Font.Size * lineSpacing
	}
	return g
}

// drawLegend draws the entries from y down and returns the height used.
func drawLegend(c draw.Canvas, y vg.Length, entries []legendEntry) vg.Length {
	st := textStyle(legendSize, ink)
	g := legendLayout(entries, c.Max.X-c.Min.X)
	lineH := st.Font.Size * lineSpacing
	used := vg.Length(0)
	for row := 0; row*g.cols < len(entries); row++ {
		rowLines := 1
		for k := 0; k < g.cols && row*g.cols+k < len(entries); k++ {
			i := row*g.cols + k
			rowLines = max(rowLines, len(g.lines[i]))
			x := c.Min.X + vg.Length(k)*(g.colW+legendGapX)
			// The swatch sits on the first line's middle.
			mid := y - used - lineH/2
			thumb := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: mid - st.Font.Size*0.35},
				Max: vg.Point{X: x + thumbWidth, Y: mid + st.Font.Size*0.35}}}
			for _, t := range entries[i].thumbs {
				t.Thumbnail(&thumb)
			}
			for j, l := range g.lines[i] {
				c.FillText(st, vg.Point{X: x + thumbWidth + thumbGap, Y: y - used - vg.Length(j)*lineH - (lineH-st.Font.Size)/2}, l)
			}
		}
		used += vg.Length(rowLines) * lineH
	}
	return used
}

// wrapText breaks s into lines no wider than w at spaces (a word wider
// than w gets a line of its own).
func wrapText(s string, st text.Style, w vg.Length) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for _, word := range words {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if cur != "" && st.Width(try) > w {
			lines = append(lines, cur)
			cur = word
			continue
		}
		cur = try
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// heading writes a panel's heading at the top left of c and returns c
// without it.
func heading(c draw.Canvas, s string) draw.Canvas {
	st := textStyle(headingSize, subdued)
	y := c.Max.Y
	for _, l := range wrapText(s, st, c.Max.X-c.Min.X) {
		c.FillText(st, vg.Point{X: c.Min.X, Y: y}, l)
		y -= st.Font.Size * lineSpacing
	}
	return headingCrop(c, s)
}

// headingCrop is c less the room heading(c, s) takes.
func headingCrop(c draw.Canvas, s string) draw.Canvas {
	st := textStyle(headingSize, subdued)
	n := len(wrapText(s, st, c.Max.X-c.Min.X))
	c.Max.Y -= vg.Length(n)*st.Font.Size*lineSpacing + vg.Points(4)
	return c
}

// ellipsis shortens s to fit w, ending it with "…".
func ellipsis(s string, st text.Style, w vg.Length) string {
	if st.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && st.Width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// fitAxes makes p's axes fit the canvas c it is about to be drawn on: it
// drops tick labels that would collide with a neighbour (keeping the last
// one, the tail's top or the axis end, where thinning starts from), wraps
// an x label wider than its axis and shortens a y label longer than its
// axis.
func fitAxes(p *plot.Plot, c draw.Canvas) {
	if w := p.DataCanvas(c).Max.X - p.DataCanvas(c).Min.X; w > 0 && p.X.Label.Text != "" {
		p.X.Label.Text = strings.Join(wrapText(p.X.Label.Text, p.X.Label.TextStyle, w), "\n")
	}
	dc := p.DataCanvas(c)
	w, h := dc.Max.X-dc.Min.X, dc.Max.Y-dc.Min.Y
	if p.X.Tick.Marker != nil {
		p.X.Tick.Marker = spaced{Ticker: p.X.Tick.Marker, axis: &p.X, length: w, horizontal: true}
	}
	if p.Y.Tick.Marker != nil {
		p.Y.Tick.Marker = spaced{Ticker: p.Y.Tick.Marker, axis: &p.Y, length: h}
	}
	if h > 0 && p.Y.Label.Text != "" {
		p.Y.Label.Text = ellipsis(p.Y.Label.Text, p.Y.Label.TextStyle, h)
	}
}

// tickGap is the least space between two tick labels side by side,
// points (half of it between two stacked ones).
const tickGap = 4

// spaced thins a ticker's labels so that none overlaps its neighbour on
// an axis length long: labelled ticks are kept from the top (or right)
// end down while they clear the last one kept; the others stay as
// unlabelled ticks.
type spaced struct {
	plot.Ticker
	axis       *plot.Axis
	length     vg.Length
	horizontal bool
}

// Ticks implements plot.Ticker.
func (s spaced) Ticks(lo, hi float64) []plot.Tick {
	ts := s.Ticker.Ticks(lo, hi)
	st := s.axis.Tick.Label
	pos := func(v float64) vg.Length {
		scale := s.axis.Scale
		if scale == nil {
			scale = plot.LinearScale{}
		}
		return s.length * vg.Length(scale.Normalize(lo, hi, v))
	}
	half := func(t plot.Tick) vg.Length {
		if s.horizontal {
			return st.Width(t.Label)/2 + tickGap/2
		}
		return st.Font.Size/2 + tickGap/4 // one line of digits is about an em high
	}
	order := make([]int, 0, len(ts))
	for k := range ts {
		if ts[k].Label != "" {
			order = append(order, k)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ts[b].Value, ts[a].Value) })
	var keptLo vg.Length // lower edge of the label kept last
	for j, k := range order {
		at := pos(ts[k].Value)
		if j > 0 && at+half(ts[k]) > keptLo {
			ts[k].Label = ""
			continue
		}
		keptLo = at - half(ts[k])
	}
	return ts
}
