package reports

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CheckLayout draws the figure on a canvas that measures instead of
// painting, and reports every text that leaves the canvas, overlaps
// another text, lies on a data mark (a system's line or bar, a bill
// component's bar) or is painted over by a later fill: the clipped
// titles, overlapping axis labels and legends over curves that a reader
// would otherwise have to spot. Text is measured by its glyphs' ink, with
// the fonts the PNG and SVG use.
func (f Figure) CheckLayout() error {
	rc := newRecorder(f.W, f.H)
	f.draw(draw.New(rc))
	var errs []error
	canvas := box{0, 0, float64(f.W), float64(f.H)}
	const eps = 0.01 // points
	for _, t := range rc.texts {
		if !canvas.grow(eps).holds(t.b) {
			errs = append(errs, fmt.Errorf("%s: text %q at %v leaves the %.0f×%.0f pt canvas", f.Name, t.s, t.b, float64(f.W), float64(f.H)))
		}
	}
	for i, a := range rc.texts {
		for _, b := range rc.texts[i+1:] {
			if a.b.grow(-eps).overlaps(b.b.grow(-eps)) {
				errs = append(errs, fmt.Errorf("%s: texts %q %v and %q %v overlap", f.Name, a.s, a.b, b.s, b.b))
			}
		}
	}
	for _, t := range rc.texts {
		tb := t.b.grow(-0.5) // touching is not covering
		for _, m := range rc.marks {
			if m.hits(tb) {
				errs = append(errs, fmt.Errorf("%s: text %q %v lies on a data mark %v", f.Name, t.s, t.b, m.b))
				break
			}
		}
	}
	for _, t := range rc.texts {
		for _, fl := range rc.fills {
			if fl.seq > t.seq && fl.b.overlaps(t.b.grow(-eps)) {
				errs = append(errs, fmt.Errorf("%s: text %q %v is painted over by a later fill %v", f.Name, t.s, t.b, fl.b))
				break
			}
		}
	}
	return errors.Join(errs...)
}

// box is an axis-aligned rectangle in points, y up.
type box struct{ x0, y0, x1, y1 float64 }

func (b box) String() string { return fmt.Sprintf("[%.1f,%.1f–%.1f,%.1f]", b.x0, b.y0, b.x1, b.y1) }

func (b box) grow(d float64) box { return box{b.x0 - d, b.y0 - d, b.x1 + d, b.y1 + d} }

func (b box) holds(o box) bool { return o.x0 >= b.x0 && o.y0 >= b.y0 && o.x1 <= b.x1 && o.y1 <= b.y1 }

func (b box) overlaps(o box) bool { return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1 }

// hitsSegment: does the segment p-q, drawn w wide, touch b? (Liang–Barsky
// clipping against b grown by half the width.)
func (b box) hitsSegment(p, q [2]float64, w float64) bool {
	g := b.grow(w / 2)
	t0, t1 := 0.0, 1.0
	dx, dy := q[0]-p[0], q[1]-p[1]
	for _, c := range [4][2]float64{{-dx, p[0] - g.x0}, {dx, g.x1 - p[0]}, {-dy, p[1] - g.y0}, {dy, g.y1 - p[1]}} {
		pp, qq := c[0], c[1]
		if pp == 0 {
			if qq < 0 {
				return false
			}
			continue
		}
		r := qq / pp
		if pp < 0 {
			t0 = math.Max(t0, r)
		} else {
			t1 = math.Min(t1, r)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// mark is data ink: a stroked polyline or a filled shape (by its bounds).
type mark struct {
	pts   [][2]float64 // a stroke's points
	width float64
	b     box // a fill's bounds, or the stroke's
	fill  bool
}

func (m mark) hits(t box) bool {
	if !m.b.grow(m.width).overlaps(t) {
		return false
	}
	if m.fill {
		return true
	}
	for k := 1; k < len(m.pts); k++ {
		if t.hitsSegment(m.pts[k-1], m.pts[k], m.width) {
			return true
		}
	}
	return false
}

type recordedText struct {
	s   string
	b   box
	seq int // drawing order
}

// fill is any filled area, by its bounds, in drawing order.
type fill struct {
	b   box
	seq int
}

// affine is x' = a·x + c·y + e, y' = b·x + d·y + f.
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) apply(x, y float64) [2]float64 {
	return [2]float64{m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f}
}

func (m affine) then(n affine) affine { // m · n: n applied first
	return affine{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

type recState struct {
	m     affine
	c     color.Color
	width float64
}

// recorder is a vg.Canvas that keeps the ink extents of texts and data marks.
type recorder struct {
	w, h  vg.Length
	st    recState
	stack []recState
	texts []recordedText
	marks []mark
	fills []fill
	seq   int
	faces map[font.Font]xfont.Face
}

var _ vg.CanvasSizer = (*recorder)(nil)

func newRecorder(w, h vg.Length) *recorder {
	return &recorder{w: w, h: h, st: recState{m: affine{a: 1, d: 1}, c: color.Black, width: 1},
		faces: map[font.Font]xfont.Face{}}
}

func (r *recorder) Size() (vg.Length, vg.Length)       { return r.w, r.h }
func (r *recorder) SetLineWidth(w vg.Length)           { r.st.width = float64(w) }
func (r *recorder) SetLineDash([]vg.Length, vg.Length) {}
func (r *recorder) SetColor(c color.Color) {
	if c == nil {
		c = color.Black
	}
	r.st.c = c
}
func (r *recorder) Rotate(rad float64) {
	s, c := math.Sincos(rad)
	r.st.m = r.st.m.then(affine{a: c, b: s, c: -s, d: c})
}
func (r *recorder) Translate(pt vg.Point) {
	r.st.m = r.st.m.then(affine{a: 1, d: 1, e: float64(pt.X), f: float64(pt.Y)})
}
func (r *recorder) Scale(x, y float64) { r.st.m = r.st.m.then(affine{a: x, d: y}) }
func (r *recorder) Push()              { r.stack = append(r.stack, r.st) }
func (r *recorder) Pop() {
	r.st = r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
}
func (r *recorder) DrawImage(vg.Rectangle, image.Image) {}

// isData: is c the colour of a system, of a bill component, or of an
// answer figure's frontier or guide line? (Black is
// also the axes' colour, so a seventh system's black is not checked.)
func isData(c color.Color) bool {
	r, g, b, a := c.RGBA()
	rgba := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
	if rgba == (color.RGBA{0, 0, 0, 0xFF}) {
		return false
	}
	if slices.Contains(Palette, rgba) || slices.Contains(answerInks, rgba) {
		return true
	}
	for _, cc := range componentColors {
		if cc == rgba {
			return true
		}
	}
	return false
}

// points flattens a path into device points (arcs by their bounding square).
func (r *recorder) points(p vg.Path) [][2]float64 {
	var pts [][2]float64
	for _, c := range p {
		switch c.Type {
		case vg.MoveComp, vg.LineComp:
			pts = append(pts, r.st.m.apply(float64(c.Pos.X), float64(c.Pos.Y)))
		case vg.ArcComp:
			x, y, rad := float64(c.Pos.X), float64(c.Pos.Y), float64(c.Radius)
			pts = append(pts, r.st.m.apply(x-rad, y-rad), r.st.m.apply(x+rad, y+rad))
		case vg.CurveComp:
			for _, q := range c.Control {
				pts = append(pts, r.st.m.apply(float64(q.X), float64(q.Y)))
			}
			pts = append(pts, r.st.m.apply(float64(c.Pos.X), float64(c.Pos.Y)))
		}
	}
	return pts
}

func bounds(pts [][2]float64) box {
	b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range pts {
		b = box{math.Min(b.x0, p[0]), math.Min(b.y0, p[1]), math.Max(b.x1, p[0]), math.Max(b.y1, p[1])}
	}
	return b
}

func (r *recorder) Stroke(p vg.Path) {
	if !isData(r.st.c) || r.st.width <= 0 {
		return
	}
	pts := r.points(p)
	if len(pts) == 0 {
		return
	}
	r.marks = append(r.marks, mark{pts: pts, width: r.st.width, b: bounds(pts)})
}

func (r *recorder) Fill(p vg.Path) {
	pts := r.points(p)
	if len(pts) == 0 {
		return
	}
	r.seq++
	r.fills = append(r.fills, fill{bounds(pts), r.seq})
	if isData(r.st.c) {
		r.marks = append(r.marks, mark{b: bounds(pts), fill: true})
	}
}

// FillString records the ink of txt drawn with its baseline starting at pt.
func (r *recorder) FillString(f font.Face, pt vg.Point, txt string) {
	if f.Font.Size <= 0 || txt == "" {
		return
	}
	face, ok := r.faces[f.Font]
	if !ok {
		face = f.FontFace(72) // 72 dpi: one pixel is one point
		r.faces[f.Font] = face
	}
	ink, _ := xfont.BoundString(face, txt)
	if ink.Empty() {
		return // blanks
	}
	// x/image measures y down from the baseline; vg measures y up.
	x0, x1 := float64(pt.X)+fix(ink.Min.X), float64(pt.X)+fix(ink.Max.X)
	y0, y1 := float64(pt.Y)-fix(ink.Max.Y), float64(pt.Y)-fix(ink.Min.Y)
	corners := [][2]float64{r.st.m.apply(x0, y0), r.st.m.apply(x1, y0), r.st.m.apply(x1, y1), r.st.m.apply(x0, y1)}
	r.seq++
	r.texts = append(r.texts, recordedText{txt, bounds(corners), r.seq})
}

// fix converts 26.6 fixed point to a float.
func fix(v fixed.Int26_6) float64 { return float64(v) / 64 }
