package reports

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"
)

// WriteHTML renders report.html: one self-contained file (inline SVG plots,
// inline CSS, no script, no font or image fetched from anywhere) with the
// provenance header, the verdict, the comparison table and every figure.
func WriteHTML(run *Run, figs []Figure) ([]byte, error) {
	r := run.Results
	d := htmlDoc{R: r, Verdict: Verdict(r), Measured: seconds(r.MeasuredSeconds()).String(),
		Simulated: seconds(r.SimulatedSeconds).String(), Warmup: seconds(r.WarmupSeconds).String()}
	d.Head = Heads(r)
	d.Notes = Footnotes(r)
	d.Rows = Rows(r, -1)
	for _, row := range d.Rows {
		for _, c := range row.Cells {
			d.Ties = d.Ties || c.Mark == Tied
		}
	}
	for _, f := range figs {
		svg, err := f.Render("svg")
		if err != nil {
			return nil, err
		}
		d.Figures = append(d.Figures, htmlFigure{Name: f.Name, Title: f.Title, SVG: template.HTML(inlineSVG(svg))})
	}
	var b bytes.Buffer
	if err := reportTmpl.Execute(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteHTMLFile writes WriteHTML's page to path atomically.
func WriteHTMLFile(path string, run *Run, figs []Figure) error {
	b, err := WriteHTML(run, figs)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, b)
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

type htmlDoc struct {
	R                           *Results
	Verdict                     string
	Measured, Simulated, Warmup string
	Head                        []string
	Notes                       []Footnote
	Rows                        []Row
	Ties                        bool
	Figures                     []htmlFigure
}

type htmlFigure struct {
	Name, Title string
	SVG         template.HTML
}

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"join": func(names []string) string { return strings.Join(names, ", ") },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>faasim: {{.R.Scenario}}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
header p { color: #555; margin: 0.2rem 0; }
.verdict { font-size: 1.15rem; background: #f3f6fa; border-left: 4px solid #0072b2; padding: 0.8rem 1rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { padding: 0.25rem 0.7rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.best { font-weight: bold; background: #e6f4ea; }
td.tied { background: #f1f7f2; }
ol.warnings, ul.run-warnings { color: #8a4b00; }
figure { margin: 2rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; }
</style>
</head>
<body>
<header>
<h1>faasim: {{.R.Scenario}}</h1>
<p id="provenance">faasim {{.R.Version}}{{if .R.File}} · scenario file {{.R.File}}{{end}} · seed {{.R.Seed}} · simulated {{.Simulated}}{{if .R.WarmupSeconds}}, of which warm-up {{.Warmup}} (excluded){{end}} · figures cover the measured {{.Measured}}</p>
</header>
<p class="verdict" id="verdict">{{.Verdict}}</p>
<h2>Comparison</h2>
<table id="comparison">
<thead><tr><th></th>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr><td>{{.Label}}</td>{{range .Cells}}<td{{if eq .Mark 1}} class="best"{{else if eq .Mark 2}} class="tied"{{end}}>{{.Text}}{{if eq .Mark 2}} ~{{end}}{{if .Note}} [{{.Note}}]{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{if .Notes}}<ol class="warnings" id="warnings">
{{range .Notes}}{{$n := .N}}{{$sys := .Systems}}{{range .Warnings}}<li value="{{$n}}"><b>{{join $sys}}</b> <code>{{.Code}}</code>: {{.Message}}</li>
{{end}}{{end}}</ol>
{{end}}<p>Bold: the best value of the row.{{if .Ties}} ~ tied for best: within the ±0.5% the sketch resolves.{{end}} [n]: the system's warnings, above. Latency percentiles within ±0.5% (DDSketch).</p>
{{if .R.Warnings}}<ul class="run-warnings" id="run-warnings">
{{range .R.Warnings}}<li><code>{{.Code}}</code>: {{.Message}}</li>
{{end}}</ul>
{{end}}
{{range .Figures}}<figure id="{{.Name}}">
{{.SVG}}
<figcaption>{{.Title}}</figcaption>
</figure>
{{end}}</body>
</html>
`))
