package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"
)

// report.html, for a run and for a sweep, from one set of templates: the
// answer first (the verdict, or the goal's), the systems with their
// warnings beside them, every figure inline as SVG (a phone-width copy
// shown on narrow screens) with a "how to read this", the full table, and
// the provenance. Self-contained: inline CSS, no script, no font or image
// fetched from anywhere.

// narrowSize is the figures' size on a phone (the page switches below
// 600 px): 10 cm is 378 px, a phone's width less its margins, so the
// figures' text keeps its size instead of shrinking.
const (
	narrowWidth  = 10 * vg.Centimeter
	narrowHeight = 7 * vg.Centimeter
)

// RunReport renders a run's report.html, its figures drawn as Figures(run,
// o) draws them and again at phone width.
func RunReport(run *Run, o PlotOptions) ([]byte, error) {
	figs, narrow, err := bothWidths(o, func(o PlotOptions) ([]Figure, error) { return Figures(run, o) })
	if err != nil {
		return nil, err
	}
	r := run.Results
	p := &page{Title: r.Scenario, Run: true, Verdict: []string{Verdict(r)}, AnswerHead: "Verdict"}
	p.Lead = fmt.Sprintf("A run of %d system(s) on the same requests: simulated %s", len(r.Systems), humanSeconds(r.SimulatedSeconds))
	if r.WarmupSeconds > 0 {
		p.Lead += fmt.Sprintf(", of which a warm-up of %s is excluded; the figures cover the measured %s", humanSeconds(r.WarmupSeconds),
			humanSeconds(r.MeasuredSeconds()))
	}
	p.Lead += "."
	for _, w := range r.Warnings {
		p.RunWarnings = append(p.RunWarnings, w)
	}
	notes := notes(r)
	for i := range r.Systems {
		s := &r.Systems[i]
		p.Systems = append(p.Systems, pageSystem{Name: s.Name, Type: s.Type, Platform: s.Platform, Params: paramSummary(s.Params, s.Type),
			Note: notes[i], Warnings: s.Warnings, Color: cssColor(i)})
	}
	p.Head = Heads(r)
	p.Rows = Rows(r, -1)
	p.Full = FullRows(r)
	for _, row := range p.Rows {
		for _, c := range row.Cells {
			p.Ties = p.Ties || c.Mark == Tied
		}
	}
	p.Notes = Footnotes(r)
	p.Provenance = []pair{{"scenario", r.Scenario}, {"file", r.File}, {"seed", strconv.FormatUint(r.Seed, 10)}, {"faasim", r.Version},
		{"simulated", humanSeconds(r.SimulatedSeconds)}, {"warm-up (excluded)", humanSeconds(r.WarmupSeconds)},
		{"measured", humanSeconds(r.MeasuredSeconds())}, {"replications", "1 (a run; faasim sweep gives intervals)"}}
	if r.Workload != nil {
		p.Provenance = append(p.Provenance, pair{"workload", fmt.Sprintf("%s, %d function(s)", r.Workload.Type, r.Workload.Functions)})
		if t := r.Workload.Trace; t != nil {
			p.Provenance = append(p.Provenance, pair{"trace", fmt.Sprintf("%s (%s): %s calls in the window, %s outside it, %s bad rows skipped",
				t.File, t.Format, count(t.Calls), count(t.OutsideWindow), count(t.SkippedRows))})
		}
	}
	if len(r.SLO) > 0 {
		p.Provenance = append(p.Provenance, pair{"SLO", strings.Join(r.SLO, ", ")})
	}
	p.Provenance = append(p.Provenance, pair{"overrides (--set)", overridesText(r.Overrides)})
	if err := p.figures(figs, narrow); err != nil {
		return nil, err
	}
	return p.render()
}

// SweepReport renders a sweep's report.html from sweep.json alone, its
// figures drawn as SweepFigures(s, o) draws them and again at phone width.
func SweepReport(s *Sweep, o PlotOptions) ([]byte, error) {
	figs, narrow, err := bothWidths(o, func(o PlotOptions) ([]Figure, error) { return SweepFigures(s, o) })
	if err != nil {
		return nil, err
	}
	p := &page{Title: s.Scenario, Sweep: true, AnswerHead: "The goal's answer"}
	p.Lead = fmt.Sprintf("A sweep of %d point(s) × %d replication(s)", len(s.Points), s.Replications)
	if s.Replications > 1 {
		p.Lead += fmt.Sprintf("; ± is the half-width of the %g%% confidence interval (Student t)", 100*s.Confidence)
	}
	p.Lead += "."
	if g := s.Goal; g != nil {
		d, err := sweepData(s, nil)
		if err != nil {
			return nil, err
		}
		for _, a := range d.goal.Answers {
			p.Verdict = append(p.Verdict, capitalize(goalHeadline(d, a))+".")
			p.Evidence = append(p.Evidence, a.Sentence)
		}
	} else {
		p.AnswerHead = "What the sweep shows"
		for _, f := range figs {
			p.Verdict = append(p.Verdict, f.Title+".")
		}
	}
	p.RunWarnings = s.Warnings
	systems := map[string]int{}
	for _, pt := range s.Points {
		for _, sys := range pt.Systems {
			if _, ok := systems[sys.Name]; !ok {
				systems[sys.Name] = len(p.Systems)
				p.Systems = append(p.Systems, pageSystem{Name: sys.Name, Type: sys.Type, Color: cssColor(len(p.Systems))})
			}
			ps := &p.Systems[systems[sys.Name]]
			for _, w := range sys.Warnings {
				ps.addAt(w.Code, paramsText(pt.Params, s.Axes))
			}
		}
	}
	p.SweepTable = sweepTable(s)
	p.SweepFull = sweepFull(s)
	p.Provenance = []pair{{"scenario", s.Scenario}, {"file", s.File}, {"seed", strconv.FormatUint(s.Seed, 10)}, {"faasim", s.Version},
		{"replications", strconv.Itoa(s.Replications)}, {"confidence", fmt.Sprintf("%g%%", 100*s.Confidence)}, {"seeds", seedsText(s.Seeds)}}
	for _, a := range s.Axes {
		what := fmt.Sprintf("%d value(s)", len(a.Values))
		if a.Goal {
			what += ", the ones the goal's search tried"
		}
		p.Provenance = append(p.Provenance, pair{"axis " + a.Key, what})
	}
	if g := s.Goal; g != nil {
		how := "find " + g.Find + " of " + g.Vary
		for _, x := range []string{g.Expr, g.Minimize, strings.Join(g.SubjectTo, ", ")} {
			if x != "" {
				how += "; " + x
			}
		}
		if g.Strategy != "" {
			how += "; strategy " + g.Strategy
		}
		p.Provenance = append(p.Provenance, pair{"goal", how})
	}
	if len(s.SLO) > 0 {
		p.Provenance = append(p.Provenance, pair{"SLO", strings.Join(s.SLO, ", ")})
	}
	p.Provenance = append(p.Provenance, pair{"overrides (--set)", overridesText(s.Overrides)})
	if err := p.figures(figs, narrow); err != nil {
		return nil, err
	}
	return p.render()
}

// bothWidths draws the figures as o asks and at phone width.
func bothWidths(o PlotOptions, draw func(PlotOptions) ([]Figure, error)) (wide, narrow []Figure, err error) {
	if wide, err = draw(o); err != nil {
		return nil, nil, err
	}
	o.Width, o.Height = narrowWidth, narrowHeight
	narrow, err = draw(o)
	return wide, narrow, err
}

// page is what the template draws.
type page struct {
	Title       string
	Run, Sweep  bool
	Lead        string
	AnswerHead  string
	Verdict     []string
	Evidence    []string // the goal's sentences: what decided each answer
	RunWarnings []Warning
	Systems     []pageSystem
	Figures     []pageFigure
	// A run's tables.
	Head  []string
	Rows  []Row
	Full  []Row
	Notes []Footnote
	Ties  bool
	// A sweep's tables.
	SweepTable, SweepFull *grid
	Provenance            []pair
}

type pair struct{ Key, Value string }

// pageSystem is one system and the warnings that concern it.
type pageSystem struct {
	Name, Type, Platform, Params string
	Color                        template.CSS
	Note                         string    // a run's footnote number in the table
	Warnings                     []Warning // a run's
	At                           []warnAt  // a sweep's: each code and where it was raised
}

// warnAt is a sweep system's warning code and the points that raised it.
type warnAt struct {
	Code   string
	Points []string
}

func (s *pageSystem) addAt(code, at string) {
	for k := range s.At {
		if s.At[k].Code == code {
			s.At[k].Points = append(s.At[k].Points, at)
			return
		}
	}
	s.At = append(s.At, warnAt{code, []string{at}})
}

// pageFigure is one figure at both widths.
type pageFigure struct {
	Name, Title, Read string
	Wide, Narrow      template.HTML
}

func (p *page) figures(wide, narrow []Figure) error {
	for k, f := range wide {
		pf := pageFigure{Name: f.Name, Title: f.Title, Read: f.Read}
		svg, err := f.Render("svg")
		if err != nil {
			return err
		}
		pf.Wide = template.HTML(inlineSVG(svg))
		if k < len(narrow) && narrow[k].Name == f.Name {
			if svg, err = narrow[k].Render("svg"); err != nil {
				return err
			}
			pf.Narrow = template.HTML(inlineSVG(svg))
		}
		p.Figures = append(p.Figures, pf)
	}
	return nil
}

func (p *page) render() ([]byte, error) {
	var b bytes.Buffer
	if err := reportTmpl.Execute(&b, p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// cssColor is system i's colour for the page.
func cssColor(i int) template.CSS {
	c := SystemColor(i)
	return template.CSS(fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B))
}

// paramSummary says briefly what a system ran as: "1,024 MB · keep-alive
// fixed 10m · timeout 900s", "3 instances × 4 workers · $0.096/h".
func paramSummary(ps map[string]any, typ string) string {
	if ps == nil {
		return ""
	}
	num := func(k string) (float64, bool) { f, ok := ps[k].(float64); return f, ok }
	var parts []string
	if typ == "faas" {
		if m, ok := num("memory_mb"); ok {
			parts = append(parts, sigTrim(m, 6)+" MB")
		}
		if ka, ok := ps["keep_alive"].(map[string]any); ok {
			parts = append(parts, "keep-alive "+policyLabel(ka))
		}
		if n, ok := num("max_concurrency"); ok && n > 0 {
			parts = append(parts, "at most "+sigTrim(n, 6)+" instances")
		}
		if n, ok := num("instance_concurrency"); ok && n > 1 {
			parts = append(parts, sigTrim(n, 6)+" requests per instance")
		}
	} else {
		n, _ := num("instances")
		w, _ := num("workers_per_instance")
		parts = append(parts, fmt.Sprintf("%s instance(s) × %s worker(s)", sigTrim(n, 6), sigTrim(w, 6)))
		if _, ok := ps["autoscale"]; ok {
			parts = append(parts, "autoscaled")
		}
		if _, ok := ps["schedule"]; ok {
			parts = append(parts, "scheduled")
		}
		if pr, ok := num("price_per_hour"); ok {
			parts = append(parts, dollars(pr)+" per instance-hour")
		}
	}
	if t, ok := ps["timeout"].(string); ok && t != "0s" {
		parts = append(parts, "timeout "+t)
	}
	return strings.Join(parts, " · ")
}

func overridesText(ovs []Override) string {
	if len(ovs) == 0 {
		return "none"
	}
	var l []string
	for _, ov := range ovs {
		l = append(l, "--set "+ov.String())
	}
	return strings.Join(l, " ")
}

func seedsText(seeds []uint64) string {
	var l []string
	for _, s := range seeds {
		l = append(l, strconv.FormatUint(s, 10))
	}
	return strings.Join(l, ", ")
}

// paramsText is a point's axis values: "instances = 3".
func paramsText(ps Params, axes []SweepAxis) string {
	var l []string
	for _, p := range ps {
		l = append(l, shortKey(p.Key, axes)+" = "+ParamLabel(p.Value))
	}
	if len(l) == 0 {
		return "the base scenario"
	}
	return strings.Join(l, ", ")
}

// grid is a sweep table: a head and rows of cells.
type grid struct {
	Head []string
	Rows [][]gridCell
}

type gridCell struct {
	Text   string
	Warned bool // the system had a warning there
	Answer bool // the goal's answer
	Left   bool
	Wrap   bool // long text (the warnings): wraps instead of widening the table
}

// sweepTable is the terminal's sweep table: one row per point, the axes'
// values then the sweep's metrics as mean ± half-width, and beside them
// the warnings raised there.
func sweepTable(s *Sweep) *grid {
	cols := metricColumns(s)
	g := &grid{}
	for _, a := range s.Axes {
		g.Head = append(g.Head, shortKey(a.Key, s.Axes))
	}
	multi := len(s.Points) > 0 && len(s.Points[0].Systems) > 1
	for _, c := range cols {
		l, ok := shortLabels[c.Path]
		if !ok {
			l = c.Path
		}
		if multi {
			l = c.System + " " + l
		}
		g.Head = append(g.Head, l)
	}
	g.Head = append(g.Head, "warnings")
	answer := sweepAnswers(s)
	for _, p := range s.Points {
		var row []gridCell
		for _, a := range s.Axes {
			v, _ := p.Params.Get(a.Key)
			row = append(row, gridCell{Text: ParamLabel(v), Answer: a.Goal && answer[p.Index], Left: true})
		}
		var warned []string
		for _, c := range cols {
			cell := gridCell{Text: "-"}
			if sys := p.System(c.System); sys != nil {
				if e, ok := sys.Metric(c.Path); ok {
					cell.Text = FormatPM(e)
				}
				cell.Warned = len(sys.Warnings) > 0
			}
			row = append(row, cell)
		}
		for _, sys := range p.Systems {
			for _, w := range sys.Warnings {
				warned = append(warned, sys.Name+": "+w.Code+inReplications(w.Message)) // "vms: failing (in 5 of 5 replications)"
			}
		}
		row = append(row, gridCell{Text: strings.Join(warned, "; "), Left: true, Wrap: len(warned) > 0})
		g.Rows = append(g.Rows, row)
	}
	return g
}

// inReplications is the "(in k of R replications)" a sweep's warning
// message opens with, or "".
var replicationsNote = regexp.MustCompile(`^in \d+ of \d+ replications`)

func inReplications(msg string) string {
	if m := replicationsNote.FindString(msg); m != "" {
		return " (" + m + ")"
	}
	return ""
}

// sweepFull is every metric of every system at every point: one row per
// point and system, one column per metric.
func sweepFull(s *Sweep) *grid {
	var paths []string
	for _, p := range s.Points {
		for _, sys := range p.Systems {
			for _, m := range sys.Metrics {
				if !contains(paths, m.Path) {
					paths = append(paths, m.Path)
				}
			}
		}
	}
	g := &grid{}
	for _, a := range s.Axes {
		g.Head = append(g.Head, shortKey(a.Key, s.Axes))
	}
	g.Head = append(g.Head, "system")
	g.Head = append(g.Head, paths...)
	for _, p := range s.Points {
		for _, sys := range p.Systems {
			var row []gridCell
			for _, a := range s.Axes {
				v, _ := p.Params.Get(a.Key)
				row = append(row, gridCell{Text: ParamLabel(v), Left: true})
			}
			row = append(row, gridCell{Text: sys.Name, Left: true, Warned: len(sys.Warnings) > 0})
			for _, path := range paths {
				cell := gridCell{Text: "-"}
				if e, ok := sys.Metric(path); ok {
					cell.Text = FormatPM(e)
				}
				row = append(row, cell)
			}
			g.Rows = append(g.Rows, row)
		}
	}
	return g
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// metricColumns are sweep.json's metrics as table columns (every system's
// p99 and total cost when it names none).
func metricColumns(s *Sweep) []SweepColumn {
	var names []string
	if len(s.Points) > 0 {
		for _, sys := range s.Points[0].Systems {
			names = append(names, sys.Name)
		}
	}
	metrics := s.Metrics
	if len(metrics) == 0 {
		for _, n := range names {
			metrics = append(metrics, n+".latency_ms.p99", n+".cost_usd.total")
		}
	}
	var cols []SweepColumn
	for _, m := range metrics {
		// The longest system name that prefixes it (names may contain dots).
		sort.SliceStable(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
		for _, n := range names {
			if path, ok := strings.CutPrefix(m, n+"."); ok {
				cols = append(cols, SweepColumn{System: n, Path: path})
				break
			}
		}
	}
	return cols
}

// sweepAnswers are the points that are the goal's met answers.
func sweepAnswers(s *Sweep) map[int]bool {
	out := map[int]bool{}
	g := s.Goal
	if g == nil {
		return out
	}
	for _, p := range s.Points {
		for _, a := range g.Answers {
			if a.Met && sameParams(p.Params, a.Params) {
				if v, ok := p.Params.Get(g.Vary); ok && ParamLabel(v) == ParamLabel(a.Answer) {
					out[p.Index] = true
				}
			}
		}
	}
	return out
}

var (
	xmlDecl  = regexp.MustCompile(`<\?xml[^>]*\?>\s*`)
	xmlnsAtt = regexp.MustCompile(`\s+xmlns(:\w+)?="[^"]*"`)
)

// inlineSVG drops what an SVG element inside HTML does not need: the XML
// declaration and the namespace attributes (HTML parsers put <svg> in the
// SVG namespace themselves), so the page holds no URL at all.
func inlineSVG(svg []byte) string {
	s := xmlDecl.ReplaceAllString(string(svg), "")
	return xmlnsAtt.ReplaceAllString(s, "")
}

// reportHTML is the page's template, for runs and sweeps alike.
//
//go:embed report.html.tmpl
var reportHTML string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"join": func(names []string) string { return strings.Join(names, ", ") },
}).Parse(reportHTML))
