package reports

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The marks of the answer figures: points with their confidence bars,
// lines, bands, threshold guides, and labels placed where they cover
// none of them (or not drawn at all: a label over the data hides what it
// names).

// Inks of the answer figures beyond the systems' colours: the frontier
// line and the threshold guides (an SLO, a break-even). CheckLayout counts
// them as data: a label must not lie on them either.
var (
	frontierInk = color.RGBA{0x44, 0x44, 0x44, 0xFF}
	guideInk    = color.RGBA{0x8C, 0x8C, 0x8C, 0xFF}
	answerInks  = []color.RGBA{frontierInk, guideInk}
)

// Sizes of the marks, points.
const (
	dotRadius  = 3.2
	ringRadius = 6.0 // around a point on the frontier, or the goal's answer
	barWidth   = 0.9 // a confidence bar
	labelGap   = 2.5 // between a mark and its label
)

// dotMark is one observation: x and y with their intervals.
type dotMark struct {
	x, y   est
	c      color.RGBA
	hollow bool // a warned point: a ring in its colour, not a disc
	ring   bool // on the frontier, or the goal's answer: a ring around it
	square bool
	label  string
	first  bool // its label is placed before the others' (the answer, the frontier)
	right  bool // y reads on the right-hand axis
}

// lineMark is a polyline in data coordinates.
type lineMark struct {
	xs, ys []float64
	style  draw.LineStyle
	right  bool
}

// bandMark is a confidence band: lo to hi at each x, in a pale tint.
type bandMark struct {
	xs, lo, hi []float64
	c          color.RGBA
	right      bool
}

// guideMark is a threshold or a marked value: a dashed line across the
// data at one x (vertical) or one y, with a label beside it.
type guideMark struct {
	vertical bool
	at       float64
	label    string
	right    bool
}

// marks draws an answer chart's data and places its labels.
type marks struct {
	dots   []dotMark
	lines  []lineMark
	bands  []bandMark
	guides []guideMark
	// right is a second, right-hand y axis: the marks with right set read
	// their y values on it.
	right *plot.Axis
}

var _ plot.Plotter = (*marks)(nil)

// clamp maps a value onto an axis: a log axis draws 0 (none kept, no cost)
// at its floor, where its tick reads "0"; a value off the scale (an
// outlier the figure's label gives) sits on the axis' edge.
func clamp(a *plot.Axis, v float64) float64 {
	return math.Min(math.Max(v, a.Min), a.Max)
}

// Plot implements plot.Plotter.
func (m *marks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	tx := func(v float64) vg.Length { return trX(clamp(&p.X, v)) }
	ty := func(v float64) vg.Length { return trY(clamp(&p.Y, v)) }
	tyOn := func(right bool) func(float64) vg.Length {
		if a := m.right; right && a != nil {
			return func(v float64) vg.Length { return c.Y(a.Norm(clamp(a, v))) }
		}
		return ty
	}
	var obstacles []obstacle
	seg := func(a, b vg.Point, w vg.Length) {
		obstacles = append(obstacles, obstacle{seg: true, a: a, b: b, w: w})
	}
	for _, b := range m.bands {
		ty := tyOn(b.right)
		var pts []vg.Point
		for k := range b.xs {
			pts = append(pts, vg.Point{X: tx(b.xs[k]), Y: ty(b.lo[k])})
		}
		for k := len(b.xs) - 1; k >= 0; k-- {
			pts = append(pts, vg.Point{X: tx(b.xs[k]), Y: ty(b.hi[k])})
		}
		c.FillPolygon(bandTint(b.c), c.ClipPolygonXY(pts))
	}
	guide := guideStyle()
	for _, g := range m.guides {
		ty := tyOn(g.right)
		a, b := vg.Point{X: c.Min.X, Y: ty(g.at)}, vg.Point{X: c.Max.X, Y: ty(g.at)}
		if g.vertical {
			a, b = vg.Point{X: tx(g.at), Y: c.Min.Y}, vg.Point{X: tx(g.at), Y: c.Max.Y}
		}
		if !c.Contains(vg.Point{X: (a.X + b.X) / 2, Y: (a.Y + b.Y) / 2}) {
			continue // outside the axes' range
		}
		c.StrokeLine2(guide, a.X, a.Y, b.X, b.Y)
		seg(a, b, guide.Width)
	}
	for _, l := range m.lines {
		ty := tyOn(l.right)
		var pts []vg.Point
		for k := range l.xs {
			if finite(l.xs[k]) && finite(l.ys[k]) {
				pts = append(pts, vg.Point{X: tx(l.xs[k]), Y: ty(l.ys[k])})
			}
		}
		for _, part := range c.ClipLinesXY(pts) {
			c.StrokeLines(l.style, part)
			for k := 1; k < len(part); k++ {
				seg(part[k-1], part[k], l.style.Width)
			}
		}
	}
	bar := func(cl color.Color, a, b vg.Point) {
		st := draw.LineStyle{Color: cl, Width: vg.Points(barWidth)}
		for _, part := range c.ClipLinesXY([]vg.Point{a, b}) {
			c.StrokeLines(st, part)
			seg(part[0], part[len(part)-1], st.Width)
		}
	}
	type at struct {
		pt    vg.Point
		d     *dotMark
		label string
	}
	var placed []at
	for k := range m.dots {
		d := &m.dots[k]
		ty := tyOn(d.right)
		pt := vg.Point{X: tx(d.x.mean), Y: ty(d.y.mean)}
		if !c.Contains(pt) {
			continue
		}
		if d.x.lo < d.x.hi {
			bar(d.c, vg.Point{X: tx(d.x.lo), Y: pt.Y}, vg.Point{X: tx(d.x.hi), Y: pt.Y})
		}
		if d.y.lo < d.y.hi {
			bar(d.c, vg.Point{X: pt.X, Y: ty(d.y.lo)}, vg.Point{X: pt.X, Y: ty(d.y.hi)})
		}
		placed = append(placed, at{pt, d, d.label})
	}
	// Points drawn on one another share one label: "provisioned-1,
	// pinged", or beyond two "fixed 1m and 6 more".
	for i := range placed {
		var with []string
		for j := i + 1; j < len(placed); j++ {
			a, b := &placed[i], &placed[j]
			if a.label != "" && b.label != "" && math.Hypot(float64(a.pt.X-b.pt.X), float64(a.pt.Y-b.pt.Y)) < dotRadius {
				with = append(with, b.label)
				b.label = ""
			}
		}
		switch {
		case len(with) == 1:
			placed[i].label += ", " + with[0]
		case len(with) > 1:
			placed[i].label += fmt.Sprintf(" and %d more", len(with))
		}
	}
	// Hollow (warned) points last: a ring stays visible on a disc it shares
	// a place with.
	slices.SortStableFunc(placed, func(a, b at) int { return boolCmp(a.d.hollow, b.d.hollow) })
	for _, a := range placed {
		g := draw.GlyphStyle{Color: a.d.c, Radius: vg.Points(dotRadius), Shape: draw.CircleGlyph{}}
		switch {
		case a.d.hollow && a.d.square:
			g.Shape = draw.BoxGlyph{}
			c.DrawGlyph(draw.GlyphStyle{Color: color.White, Radius: g.Radius, Shape: draw.BoxGlyph{}}, a.pt)
			g.Radius *= 0.55 // a box's outline drawn as a smaller box inside the white one reads as hollow
		case a.d.hollow:
			g.Shape = draw.RingGlyph{}
		case a.d.square:
			g.Shape = draw.BoxGlyph{}
		}
		c.DrawGlyph(g, a.pt)
		r := vg.Points(dotRadius)
		if a.d.ring {
			c.DrawGlyph(draw.GlyphStyle{Color: frontierInk, Radius: vg.Points(ringRadius), Shape: draw.RingGlyph{}}, a.pt)
			r = vg.Points(ringRadius)
		}
		obstacles = append(obstacles, obstacle{box: vg.Rectangle{Min: vg.Point{X: a.pt.X - r, Y: a.pt.Y - r}, Max: vg.Point{X: a.pt.X + r, Y: a.pt.Y + r}}})
	}
	pl := placer{area: c.Rectangle, obstacles: obstacles}
	st := textStyle(tickSize, ink)
	for _, g := range m.guides {
		if g.label == "" {
			continue
		}
		// A guide's label sits along its line, at the far end.
		var cands []anchor
		ty := tyOn(g.right)
		// Clear of the line by the gap and the text's descent.
		gap := labelGap + st.FontExtents().Descent + vg.Points(1)
		if g.vertical {
			x := tx(g.at)
			top := c.Max.Y - vg.Points(1)
			cands = []anchor{{vg.Point{X: x + labelGap, Y: top}, draw.XLeft, draw.YTop},
				{vg.Point{X: x - labelGap, Y: top}, draw.XRight, draw.YTop},
				{vg.Point{X: x + labelGap, Y: c.Min.Y + vg.Points(1)}, draw.XLeft, draw.YBottom},
				{vg.Point{X: x - labelGap, Y: c.Min.Y + vg.Points(1)}, draw.XRight, draw.YBottom}}
		} else {
			y := ty(g.at)
			right := c.Max.X - vg.Points(1)
			cands = []anchor{{vg.Point{X: right, Y: y + gap}, draw.XRight, draw.YBottom},
				{vg.Point{X: right, Y: y - labelGap}, draw.XRight, draw.YTop},
				{vg.Point{X: c.Min.X + vg.Points(1), Y: y + gap}, draw.XLeft, draw.YBottom},
				{vg.Point{X: c.Min.X + vg.Points(1), Y: y - labelGap}, draw.XLeft, draw.YTop}}
			for _, f := range []vg.Length{0.75, 0.5, 0.25} {
				x := c.Min.X + f*(c.Max.X-c.Min.X)
				cands = append(cands, anchor{vg.Point{X: x, Y: y + gap}, draw.XCenter, draw.YBottom},
					anchor{vg.Point{X: x, Y: y - labelGap}, draw.XCenter, draw.YTop})
			}
		}
		pl.place(c, st, g.label, cands)
	}
	slices.SortStableFunc(placed, func(a, b at) int {
		switch {
		case a.d.first && !b.d.first:
			return -1
		case b.d.first && !a.d.first:
			return 1
		}
		return 0
	})
	for _, a := range placed {
		if a.label == "" {
			continue
		}
		r := vg.Points(dotRadius)
		if a.d.ring {
			r = vg.Points(ringRadius)
		}
		e := r + labelGap
		ty := tyOn(a.d.right)
		rc := reach{diag: e,
			right: max(e, tx(a.d.x.hi)-a.pt.X+labelGap), left: max(e, a.pt.X-tx(a.d.x.lo)+labelGap),
			up: max(e, ty(a.d.y.hi)-a.pt.Y+labelGap), down: max(e, a.pt.Y-ty(a.d.y.lo)+labelGap)}
		if !pl.place(c, st, a.label, around(a.pt, rc)) {
			pl.placeLeader(c, st, a.label, a.pt, r)
		}
	}
}

// anchor is where a label may go: its point and alignment.
type anchor struct {
	pt vg.Point
	xa draw.XAlignment
	ya draw.YAlignment
}

// reach is how far a label keeps from its point on each side: beyond
// the mark, and beyond the point's own confidence bars on their side.
type reach struct{ left, right, up, down, diag vg.Length }

// around are the places beside a point, the preferred first: right,
// left (level with the point, then raised or lowered by half a line),
// above, below, then the diagonals.
func around(p vg.Point, r reach) []anchor {
	e := r.diag * 0.8
	return []anchor{
		{vg.Point{X: p.X + r.right, Y: p.Y}, draw.XLeft, draw.YCenter},
		{vg.Point{X: p.X - r.left, Y: p.Y}, draw.XRight, draw.YCenter},
		{vg.Point{X: p.X + r.right, Y: p.Y}, draw.XLeft, draw.YBottom},
		{vg.Point{X: p.X + r.right, Y: p.Y}, draw.XLeft, draw.YTop},
		{vg.Point{X: p.X - r.left, Y: p.Y}, draw.XRight, draw.YBottom},
		{vg.Point{X: p.X - r.left, Y: p.Y}, draw.XRight, draw.YTop},
		{vg.Point{X: p.X, Y: p.Y + r.up}, draw.XCenter, draw.YBottom},
		{vg.Point{X: p.X, Y: p.Y - r.down}, draw.XCenter, draw.YTop},
		{vg.Point{X: p.X + e, Y: p.Y + e}, draw.XLeft, draw.YBottom},
		{vg.Point{X: p.X + e, Y: p.Y - e}, draw.XLeft, draw.YTop},
		{vg.Point{X: p.X - e, Y: p.Y + e}, draw.XRight, draw.YBottom},
		{vg.Point{X: p.X - e, Y: p.Y - e}, draw.XRight, draw.YTop},
	}
}

// leaders are places farther from a point, joined to it by a thin line:
// where a crowd leaves no room beside it.
func leaders(p vg.Point, r vg.Length) []anchor {
	var out []anchor
	for _, dist := range []vg.Length{28, 44, 64, 90, 120} {
		for k := range 16 {
			a := 2 * math.Pi * float64(k) / 16
			dx, dy := math.Cos(a), math.Sin(a)
			xa, ya := draw.XCenter, draw.YCenter
			switch {
			case dx > 0.3:
				xa = draw.XLeft
			case dx < -0.3:
				xa = draw.XRight
			}
			switch {
			case dy > 0.3:
				ya = draw.YBottom
			case dy < -0.3:
				ya = draw.YTop
			}
			e := r + vg.Points(float64(dist))
			out = append(out, anchor{vg.Point{X: p.X + e*vg.Length(dx), Y: p.Y + e*vg.Length(dy)}, xa, ya})
		}
	}
	return out
}

// obstacle is ink a label must not cover: a box, or a segment drawn w wide.
type obstacle struct {
	seg    bool
	leader bool // a label's leader line: another must not cross it
	box    vg.Rectangle
	a, b   vg.Point
	w      vg.Length
}

// intersects: segments p1-p2 and q1-q2 cross.
func intersects(p1, p2, q1, q2 vg.Point) bool {
	cross := func(a, b, c vg.Point) float64 {
		return float64((b.X-a.X)*(c.Y-a.Y) - (b.Y-a.Y)*(c.X-a.X))
	}
	d1, d2 := cross(q1, q2, p1), cross(q1, q2, p2)
	d3, d4 := cross(p1, p2, q1), cross(p1, p2, q2)
	return (d1 > 0) != (d2 > 0) && (d3 > 0) != (d4 > 0)
}

func (o obstacle) hits(r vg.Rectangle) bool {
	b := box{float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)}
	if o.seg {
		return b.hitsSegment([2]float64{float64(o.a.X), float64(o.a.Y)}, [2]float64{float64(o.b.X), float64(o.b.Y)}, float64(o.w))
	}
	return b.overlaps(box{float64(o.box.Min.X), float64(o.box.Min.Y), float64(o.box.Max.X), float64(o.box.Max.Y)})
}

// placer puts labels where they fit: inside area, clear of the obstacles
// and of the labels placed before.
type placer struct {
	area      vg.Rectangle
	obstacles []obstacle
}

// place draws s at the first anchor where it fits and reports whether
// it found one. A label that fits nowhere is left out.
func (p *placer) place(c draw.Canvas, st text.Style, s string, cands []anchor) bool {
	for _, a := range cands {
		st.XAlign, st.YAlign = a.xa, a.ya
		r, ok := p.box(st, s, a)
		if !ok {
			continue
		}
		if slices.ContainsFunc(p.obstacles, func(o obstacle) bool { return o.hits(r) }) {
			continue
		}
		c.FillText(st, a.pt, s)
		p.obstacles = append(p.obstacles, obstacle{box: r})
		return true
	}
	return false
}

// box is where s drawn in st at a lies, with a point of air around it;
// false when it leaves the area.
func (p *placer) box(st text.Style, s string, a anchor) (vg.Rectangle, bool) {
	const pad = 1
	r := st.Rectangle(s)
	r = vg.Rectangle{Min: vg.Point{X: r.Min.X + a.pt.X - pad, Y: r.Min.Y + a.pt.Y - pad},
		Max: vg.Point{X: r.Max.X + a.pt.X + pad, Y: r.Max.Y + a.pt.Y + pad}}
	in := r.Min.X >= p.area.Min.X && r.Min.Y >= p.area.Min.Y && r.Max.X <= p.area.Max.X && r.Max.Y <= p.area.Max.Y
	return r, in
}

// placeLeader puts s farther from p, with a thin line from p's mark (of
// radius r) to the label, where neither the label nor the line covers
// other marks or labels.
func (p *placer) placeLeader(c draw.Canvas, st text.Style, s string, pt vg.Point, r vg.Length) bool {
	for _, a := range leaders(pt, r) {
		st.XAlign, st.YAlign = a.xa, a.ya
		rect, ok := p.box(st, s, a)
		if !ok {
			continue
		}
		// The line runs from the mark's edge to the label's nearest point.
		to := vg.Point{X: min(max(pt.X, rect.Min.X), rect.Max.X), Y: min(max(pt.Y, rect.Min.Y), rect.Max.Y)}
		dx, dy := float64(to.X-pt.X), float64(to.Y-pt.Y)
		n := math.Hypot(dx, dy)
		if n <= float64(r)*1.5+2 {
			continue
		}
		from := vg.Point{X: pt.X + vg.Length(dx/n)*(r*1.45+1), Y: pt.Y + vg.Length(dy/n)*(r*1.45+1)} // outside its mark's box
		lead := obstacle{seg: true, leader: true, a: from, b: to, w: 0.6}
		if slices.ContainsFunc(p.obstacles, func(o obstacle) bool {
			near := func(u, v vg.Point) bool { return math.Hypot(float64(u.X-v.X), float64(u.Y-v.Y)) < 10 }
			if o.hits(rect) || o.leader && (intersects(o.a, o.b, lead.a, lead.b) || near(o.b, lead.b)) {
				return true
			}
			// The line may leave its own mark (and any drawn on it), never
			// cross another mark or a label.
			own := !o.seg && o.box.Min.X <= pt.X && pt.X <= o.box.Max.X && o.box.Min.Y <= pt.Y && pt.Y <= o.box.Max.Y
			return !o.seg && !own && lead.crosses(o.box)
		}) {
			continue
		}
		c.StrokeLine2(draw.LineStyle{Color: subdued, Width: vg.Points(0.6)}, from.X, from.Y, to.X, to.Y)
		c.FillText(st, a.pt, s)
		p.obstacles = append(p.obstacles, obstacle{box: rect}, lead)
		return true
	}
	return false
}

// crosses: the segment o passes through r (not just touches its edge).
func (o obstacle) crosses(r vg.Rectangle) bool {
	b := box{float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)}.grow(-0.5)
	return b.hitsSegment([2]float64{float64(o.a.X), float64(o.a.Y)}, [2]float64{float64(o.b.X), float64(o.b.Y)}, 0)
}

// setAxis makes a read values (the marks' means and bounds) in unit: a
// log scale when log is true and some value is above 0 (zeros then sit
// on the floor, whose tick reads "0"), with room around the data and
// ticks in the unit's human form, about one label per perLabel points of
// length.
func setAxis(a *plot.Axis, vals []float64, unit string, log bool, length, perLabel vg.Length) {
	lo, hi := math.Inf(1), math.Inf(-1)
	pos := math.Inf(1)
	zero := false
	for _, v := range vals {
		if !finite(v) {
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		if v > 0 {
			pos = math.Min(pos, v)
		} else {
			zero = true
		}
	}
	n := max(2, int(length/perLabel))
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	if log && !math.IsInf(pos, 1) {
		a.Scale = plot.LogScale{}
		a.Min, a.Max = pos/1.35, hi*1.35
		if zero {
			// A decade below the least positive value's decade, so 0 stands
			// apart from every round value.
			a.Min = math.Pow10(int(math.Floor(math.Log10(pos)))) / 10
		}
		if a.Max/a.Min < 4 {
			mid := math.Sqrt(a.Min * a.Max)
			a.Min, a.Max = mid/2, mid*2
		}
		var t plot.Ticker = logTicks{Format: tickFormat(unit)}
		if unit == "ms" {
			t = logDurationTicks{Max: n}
		}
		if zero {
			t = zeroTick{t}
		}
		a.Tick.Marker = t
		return
	}
	if lo > 0 && lo < 0.5*hi {
		lo = 0 // a floor of zero, unless the values sit far from it
	}
	pad := (hi - lo) * 0.08
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.1, 1e-9)
	}
	a.Min, a.Max = lo-pad, hi+pad
	if lo == 0 {
		a.Min = -pad / 2
	}
	if unit == "ms" {
		a.Tick.Marker = msTicks{Max: n}
		return
	}
	a.Tick.Marker = niceTicks{Max: n, Format: func(v, step float64) string { return linearTick(v, step, unit) }}
}

// msTicks labels a linear latency axis (milliseconds) in one unit, the
// one humanMS gives its largest value (ms, s, min, h), at round steps of
// that unit: "2.6 min, 2.7 min", never "2.83 min".
type msTicks struct{ Max int }

var _ plot.Ticker = msTicks{}

// Ticks implements plot.Ticker.
func (t msTicks) Ticks(lo, hi float64) []plot.Tick {
	name, per := "ms", 1.0
	for _, u := range []struct {
		name string
		per  float64
	}{{"s", 1e3}, {"min", 60e3}, {"h", 3600e3}} {
		if math.Max(math.Abs(lo), math.Abs(hi)) >= u.per {
			name, per = u.name, u.per
		}
	}
	ts := niceTicks{Max: t.Max}.Ticks(lo/per, hi/per)
	step := 1.0
	if len(ts) > 1 {
		step = ts[1].Value - ts[0].Value
	}
	for i := range ts {
		v := ts[i].Value
		ts[i].Value = v * per
		ts[i].Label = grouped(v, decimalsFor(step)) + " " + name
		if v == 0 {
			ts[i].Label = "0"
		}
	}
	return ts
}

// zeroTick adds a "0" tick at a log axis' floor, where zeros are drawn.
type zeroTick struct{ plot.Ticker }

// Ticks implements plot.Ticker.
func (z zeroTick) Ticks(lo, hi float64) []plot.Tick {
	ts := z.Ticker.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Value < 5*lo {
			ts[i].Label = "" // too close to the 0 for a label of its own
		}
	}
	return append(ts, plot.Tick{Value: lo, Label: "0"})
}

// tickFormat prints a log axis' round value in unit.
func tickFormat(unit string) func(float64) string {
	switch unit {
	case "USD":
		return moneyLabel
	case "ratio":
		return func(v float64) string { return sigTrim(100*v, 3) + "%" }
	}
	return func(v float64) string { return sigTrim(v, 3) }
}

// linearTick prints a linear axis' tick in unit.
func linearTick(v, step float64, unit string) string {
	switch unit {
	case "USD":
		return moneyTick(v, step)
	case "ratio":
		return grouped(100*v, decimalsFor(100*step)) + "%"
	}
	return grouped(v, decimalsFor(step))
}

// boolCmp orders false before true.
func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// logNote adds " (log scale)" to an axis' name when it is one.
func logNote(name string, log bool) string {
	if log {
		return name + " (log scale)"
	}
	return name
}

// scatterBody draws one panel of marks: x and y read xs and ys in their
// units. The y axis is named above it, level: gonum centres a rotated
// label by the axis' arithmetic mid-value, which on a log axis is near its
// top and pushes the data down.
func scatterBody(m *marks, xs, ys []float64, xunit, yunit, xl, yl string, logX, logY bool) func(c draw.Canvas) {
	return func(c draw.Canvas) {
		c = heading(c, logNote(yl, logY))
		p := newAxes(logNote(xl, logX), "")
		setAxis(&p.X, xs, xunit, logX, c.Max.X-c.Min.X, vg.Points(58))
		setAxis(&p.Y, ys, yunit, logY, c.Max.Y-c.Min.Y, vg.Points(28))
		p.Add(m)
		fitAxes(p, c)
		p.Draw(c)
	}
}

// panel is one strip of a stacked figure: its heading, marks and y axis.
type panel struct {
	heading string
	m       *marks
	ys      []float64
	unit    string
	log     bool
}

// stackedBody draws panels stacked over one x axis (set by setX for a
// length), labelled xl under the bottom one.
func stackedBody(panels []panel, xl string, setX func(a *plot.Axis, length vg.Length)) func(c draw.Canvas) {
	return func(c draw.Canvas) {
		n := len(panels)
		tiles := draw.Tiles{Rows: n, Cols: 1, PadY: vg.Points(6)}
		plots := make([][]*plot.Plot, n)
		for k, pn := range panels {
			p := newAxes("", "")
			tile := headingCrop(tiles.At(c, 0, k), pn.heading)
			setAxis(&p.Y, pn.ys, pn.unit, pn.log, tile.Max.Y-tile.Min.Y, vg.Points(26))
			setX(&p.X, c.Max.X-c.Min.X)
			if k == n-1 {
				p.X.Label.Text = xl
			} else {
				p.X.Tick.Marker = unlabelled{p.X.Tick.Marker}
				p.X.Tick.Length = 0
			}
			p.Add(pn.m)
			plots[k] = []*plot.Plot{p}
			fitAxes(p, tile)
		}
		cs := plot.Align(plots, tiles, c)
		for k := range plots {
			plots[k][0].Draw(heading(cs[k][0], panels[k].heading))
		}
	}
}

// hollowEntry is the legend's entry for hollow points.
func hollowEntry(text string) legendEntry {
	return legendEntry{text, []plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: ink, Radius: vg.Points(dotRadius), Shape: draw.RingGlyph{}}}}}
}
