package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/faasim/faasim/reports"
	"github.com/faasim/faasim/scenarios"
)

// TestTimeseriesSums: for every example, each system's timeseries.csv adds
// up exactly to results.json: arrivals, completions, cold starts, rejections,
// timeouts, failures and dead letters as integers, cost as exact decimals (big.Rat, no rounding).
func TestTimeseriesSums(t *testing.T) {
	for _, name := range scenarios.Examples() {
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			if _, stderr, code := faasim(t, "run", name, "--out", out, "--interval", "7m"); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			raw, _ := os.ReadFile(filepath.Join(out, "results.json"))
			var res struct {
				Systems []struct {
					Name                          string
					Requests, Completed, Rejected int64
					TimedOut                      int64                       `json:"timed_out"`
					ColdStarts                    int64                       `json:"cold_starts"`
					Failed                        int64                       // with an invocation layer; else absent, 0
					DeadLettered                  int64                       `json:"dead_lettered"`
					Cost                          struct{ Total json.Number } `json:"cost_usd"`
					Instances                     struct {
						Max           int
						BilledSeconds *float64 `json:"billed_seconds"` // a scaled fleet's
					}
				}
			}
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			if err := dec.Decode(&res); err != nil {
				t.Fatal(err)
			}
			for _, s := range res.Systems {
				f, err := os.Open(filepath.Join(out, s.Name+".timeseries.csv"))
				if err != nil {
					t.Fatal(err)
				}
				rows, err := csv.NewReader(f).ReadAll()
				f.Close()
				if err != nil {
					t.Fatal(err)
				}
				var sums [7]int64 // arrivals, completions, cold starts, rejections, timeouts, failed, dead-lettered
				cost := new(big.Rat)
				checkSeries(t, s.Name, rows[1:], s.Instances.Max, s.Instances.BilledSeconds != nil)
				for _, row := range rows[1:] {
					for k, col := range []int{2, 3, 4, 5, 6, 16, 17} {
						n, err := strconv.ParseInt(row[col], 10, 64)
						if err != nil {
							t.Fatal(err)
						}
						sums[k] += n
					}
					c, ok := new(big.Rat).SetString(row[14])
					if !ok {
						t.Fatalf("cost %q", row[14])
					}
					cost.Add(cost, c)
				}
				want := [7]int64{s.Requests, s.Completed, s.ColdStarts, s.Rejected, s.TimedOut, s.Failed, s.DeadLettered}
				if sums != want {
					t.Errorf("%s: sums %v, results.json %v", s.Name, sums, want)
				}
				total, _ := new(big.Rat).SetString(string(s.Cost.Total))
				if cost.Cmp(total) != 0 {
					t.Errorf("%s: cost column sums to %s, results.json total %s", s.Name, cost.FloatString(15), s.Cost.Total)
				}
				if last := rows[len(rows)-1]; last[15] != strings.TrimSpace(string(s.Cost.Total)) {
					if a, _ := new(big.Rat).SetString(last[15]); a.Cmp(total) != 0 {
						t.Errorf("%s: last cumulative cost %s, total %s", s.Name, last[15], s.Cost.Total)
					}
				}
			}
		})
	}
}

// checkSeries: the instance columns are what happened (no negative count,
// never above the run's maximum, and a scaled fleet's vary as it scales),
// and no window holds a charge incurred elsewhere: the first and the last
// windows (where a charge booked at the start or at the end of the run
// would land) accrue at most 3x the fastest rate of the other windows.
func checkSeries(t *testing.T, name string, rows [][]string, maxInst int, scaled bool) {
	t.Helper()
	num := func(s string) float64 {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %q is not a number", name, s)
		}
		return f
	}
	alive := map[float64]bool{}
	rate := make([]float64, len(rows)) // USD per second of each window
	for i, row := range rows {
		var a float64
		for _, col := range []int{7, 8, 9, 10, 11} {
			if v := num(row[col]); v < 0 {
				t.Errorf("%s: window %s: %s = %v", name, row[0], TimeseriesHeaderName(col), v)
			}
		}
		for _, col := range []int{7, 8, 9} {
			a += num(row[col])
		}
		if a > float64(maxInst) {
			t.Errorf("%s: window %s: %v instances alive, above the run's maximum %d", name, row[0], a, maxInst)
		}
		alive[a] = true
		if c := num(row[14]); c < 0 {
			t.Errorf("%s: window %s: cost %v < 0", name, row[0], c)
		}
		rate[i] = num(row[14]) / (num(row[1]) - num(row[0]))
	}
	if scaled && len(alive) < 2 {
		t.Errorf("%s: a scaled fleet's instance columns never change", name)
	}
	if len(rows) < 3 {
		return
	}
	others := slices.Max(rate[1 : len(rate)-1])
	for _, i := range []int{0, len(rows) - 1} {
		if rate[i] > 3*others+1e-12 {
			t.Errorf("%s: window %s accrues $%.3g/s, %.0fx the fastest other window: a charge incurred elsewhere", name, rows[i][0], rate[i], rate[i]/others)
		}
	}
}

// TimeseriesHeaderName names a column of <system>.timeseries.csv.
func TimeseriesHeaderName(col int) string { return reports.TimeseriesHeader[col] }

// TestReportHTML: a run's report.html parses as HTML, names every system,
// holds every plot inline (as drawn and at phone width), refers to nothing
// outside itself, renders in Chromium without console errors at a desktop
// and a phone width without overflowing it, and faasim plot redraws the
// same page from the directory alone.
func TestReportHTML(t *testing.T) {
	out := t.TempDir()
	if _, stderr, code := faasim(t, "run", "latency-sensitive", "--out", out, "--format", "json"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page := checkReport(t, out, []string{"lambda-jvm", "lambda-fast-start", "one-vm"},
		[]string{"latency_cdf", "cost_breakdown", "timeline", "tradeoff"})
	if !strings.Contains(page, "because of 3.92% cold starts") {
		t.Errorf("verdict does not explain the tail by cold starts")
	}
	for _, want := range []string{"simulated 14 days", "over the measured 14 days", "1,024 MB · keep-alive fixed 10m"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q (human units, the systems' params)", want)
		}
	}
	renderInChromium(t, filepath.Join(out, "report.html"), "run")

	// faasim plot redraws from the directory alone: the same page.
	os.Remove(filepath.Join(out, "report.html"))
	os.Remove(filepath.Join(out, "timeline.png"))
	if _, stderr, code := faasim(t, "plot", out, "--format", "png"); code != 0 {
		t.Fatalf("plot: exit %d: %s", code, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(out, "report.html")); string(again) != page {
		t.Error("report.html from 'faasim plot' differs from the one 'faasim run' wrote")
	}
	if _, err := os.Stat(filepath.Join(out, "timeline.png")); err != nil {
		t.Error(err)
	}
	// Bad flags name themselves; exit 2.
	for _, args := range [][]string{{"plot", out, "--systems", "nope"}, {"plot", out, "--format", "gif"}, {"plot", out, "--width", "1"},
		{"plot", out, "--x", "workload.rate"}, {"plot", out, "--x", "workload.rate", "--y", "latency_ms.p99"}} {
		if _, stderr, code := faasim(t, args...); code != 2 || !strings.Contains(stderr, args[2]) {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
	if _, _, code := faasim(t, "plot", filepath.Join(out, "missing")); code != 1 {
		t.Errorf("missing directory: exit %d, want 1", code)
	}
}

// TestSweepReportHTML: a sweep's report.html, from the same templates,
// opens with the goal's answer, gives each system's warnings with the
// points that raised them, holds its figures and tables, renders in
// Chromium at both widths; faasim plot redraws the directory (the same
// page, the same figures) from sweep.json alone, and --x/--y draws one
// metric against one axis.
func TestSweepReportHTML(t *testing.T) {
	out := t.TempDir()
	if _, stderr, code := faasim(t, "sweep", "servers-for-p99", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page := checkReport(t, out, []string{"vms"}, []string{"tradeoff", "sweep"})
	for _, want := range []string{"<p>3 instances is the smallest fleet of vms meeting every constraint.</p>",
		"<code>failing</code> at instances = 1, instances = 2", "vms: failing (in 5 of 5 replications)", "Every metric at every point"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if i, j := strings.Index(page, `id="verdict"`), strings.Index(page, `id="figures"`); i < 0 || j < i {
		t.Error("the goal's answer does not come before the figures")
	}
	renderInChromium(t, filepath.Join(out, "report.html"), "sweep")

	png, _ := os.ReadFile(filepath.Join(out, "tradeoff.png"))
	os.Remove(filepath.Join(out, "report.html"))
	os.Remove(filepath.Join(out, "tradeoff.png"))
	if _, stderr, code := faasim(t, "plot", out); code != 0 {
		t.Fatalf("plot: exit %d: %s", code, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(out, "report.html")); string(again) != page {
		t.Error("report.html from 'faasim plot' differs from the one 'faasim sweep --out' wrote")
	}
	if again, _ := os.ReadFile(filepath.Join(out, "tradeoff.png")); !bytes.Equal(again, png) {
		t.Error("tradeoff.png from 'faasim plot' differs from the one 'faasim sweep --out' wrote")
	}
	if _, stderr, code := faasim(t, "plot", out, "--x", "systems[vms].instances", "--y", "vms.instances.mean", "--format", "png"); code != 0 {
		t.Fatalf("plot --x --y: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "sweep_instances_vms.instances.mean.png")); err != nil {
		t.Error(err)
	}
	for _, args := range [][]string{{"plot", out, "--x", "workload.rate", "--y", "latency_ms.p99"},
		{"plot", out, "--x", "systems[vms].instances", "--y", "nope"}, {"plot", out, "--systems", "nope"}} {
		if _, stderr, code := faasim(t, args...); code != 2 || !strings.Contains(stderr, args[len(args)-1]) {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}

// checkReport parses dir/report.html and checks its contents; it returns the page.
func checkReport(t *testing.T, dir string, systems, plots []string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	var svgs, scripts int
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "svg":
				svgs++
			case "script", "link", "img", "iframe", "object", "embed":
				scripts++
			}
			for _, a := range n.Attr {
				if a.Key == "id" {
					ids[a.Val] = true
				}
				if a.Key == "src" || a.Key == "href" || strings.HasSuffix(a.Key, ":href") {
					t.Errorf("<%s %s=%q>: the report must not load anything", n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	page := string(b)
	for _, s := range systems {
		if !strings.Contains(page, "<b>"+s+"</b>") {
			t.Errorf("system %q is not in the list of systems", s)
		}
	}
	for _, p := range plots {
		if !ids[p] {
			t.Errorf("no figure %q", p)
		}
	}
	// Each figure twice: as drawn, and at phone width.
	if svgs != 2*len(plots) || scripts != 0 {
		t.Errorf("%d inline SVGs (want %d), %d external-resource elements (want 0)", svgs, 2*len(plots), scripts)
	}
	for _, bad := range []string{"http:", "https:", "//", "url(", "@import"} {
		if strings.Contains(strings.ReplaceAll(page, "<!--", ""), bad) && bad != "//" {
			t.Errorf("report contains %q", bad)
		}
	}
	for _, id := range []string{"provenance", "verdict", "comparison"} {
		if !ids[id] {
			t.Errorf("no #%s", id)
		}
	}
	return page
}

// renderInChromium opens the page in headless Chromium with networking
// disabled, at a desktop width (1280 px) and a phone's (390 px), and fails
// on console errors or on a page wider than the screen (a table scrolls in
// its own box, a figure shrinks to fit); it saves a screenshot of each
// under out/ (git-ignored) for the developer to look at. The page is shown
// in an iframe of that width (a headless window is at least 500 px wide),
// from a wrapper whose script measures it: the report itself has none.
// Skipped where Chromium is missing (.ci/run installs it).
func renderInChromium(t *testing.T, page, name string) {
	t.Helper()
	var bin string
	for _, b := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(b); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("chromium not found: install Debian's chromium (.ci/run does) to render report.html")
	}
	shots, _ := filepath.Abs(filepath.Join("..", "..", "out"))
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	const height = 7000 // px of the page shown
	for _, width := range []int{1280, 390} {
		wrap := filepath.Join(t.TempDir(), "wrap.html")
		doc := fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>-</title></head><body style="margin:0">`+
			`<iframe id="f" style="border:0;width:%dpx;height:%dpx" srcdoc="%s"></iframe>`+
			`<script>window.onload = () => { const d = document.getElementById("f").contentDocument.documentElement; `+
			`document.title = "width " + d.scrollWidth + " of " + d.clientWidth; };</script></body></html>`,
			width, height, html.EscapeString(string(body)))
		if err := os.WriteFile(wrap, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		chrome := func(extra ...string) (string, string) {
			args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
				"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0",
				fmt.Sprintf("--window-size=%d,%d", max(width, 500), height)}, extra...)
			cmd := exec.Command(bin, append(args, "file://"+wrap)...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("chromium: %v\n%s", err, stderr.String())
			}
			return stdout.String(), stderr.String()
		}
		dom, logs := chrome("--dump-dom")
		if want := fmt.Sprintf("<title>width %d of %d</title>", width, width); !strings.Contains(dom, want) {
			i := strings.Index(dom, "<title>")
			t.Errorf("%s at %d px: the page overflows the screen: %.40s, want %s", name, width, dom[max(i, 0):], want)
		}
		shot := filepath.Join(shots, fmt.Sprintf("report-%s-%d.png", name, width))
		_, logs2 := chrome("--screenshot=" + shot)
		for _, l := range strings.Split(logs+logs2, "\n") {
			if strings.Contains(l, "CONSOLE") || strings.Contains(l, "Uncaught") {
				t.Errorf("%s at %d px: console: %s", name, width, l)
			}
		}
		if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
			t.Fatalf("screenshot %s: %v", shot, err)
		}
		t.Logf("screenshot: %s", shot)
	}
}

// TestBaselineAndBest: the best value of a row is starred; --baseline adds
// ratios to that system (quickstart: lambda's bill is $0.0174 against the
// fleet's $0.176, 0.099x); an unknown baseline is bad input.
func TestBaselineAndBest(t *testing.T) {
	out, stderr, code := faasim(t, "run", "quickstart", "--baseline", "two-vms")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"0.0174 (0.099x) *", "ratio to two-vms", "0 *"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if _, stderr, code := faasim(t, "run", "quickstart", "--baseline", "nope"); code != 2 || !strings.Contains(stderr, `"nope" is not a system`) {
		t.Errorf("unknown baseline: exit %d, %s", code, stderr)
	}
}

// TestVerdictsAndMarks: the verdicts that matter, read from results.json
// as report.html shows them, and the marks beside warned systems.
func TestVerdictsAndMarks(t *testing.T) {
	var recommended, basis string // the last verdict's, from results.json
	verdict := func(args ...string) (string, string) {
		t.Helper()
		out := t.TempDir()
		table, stderr, code := faasim(t, append([]string{"run", "--out", out}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		page, _ := os.ReadFile(filepath.Join(out, "report.html"))
		i := strings.Index(string(page), `id="verdict"><p>`)
		j := strings.Index(string(page)[i:], "</p>")
		v := html.UnescapeString(string(page)[i+len(`id="verdict"><p>`) : i+j])
		if !strings.Contains(strings.Join(strings.Fields(table), " "), "verdict: "+v) {
			t.Errorf("%v: the table's verdict is not report.html's %q", args, v)
		}
		// results.json has it too, with the system it recommends.
		var res struct {
			Verdict struct {
				Text        string
				Basis       string
				Recommended *string
			}
		}
		js, _ := os.ReadFile(filepath.Join(out, "results.json"))
		if err := json.Unmarshal(js, &res); err != nil {
			t.Fatal(err)
		}
		if res.Verdict.Text != v {
			t.Errorf("%v: results.json verdict.text %q is not report.html's %q", args, res.Verdict.Text, v)
		}
		recommended = "null"
		if res.Verdict.Recommended != nil {
			recommended = *res.Verdict.Recommended
		}
		basis = res.Verdict.Basis
		return v, table
	}
	recommends := func(name, want, wantBasis string) {
		t.Helper()
		if recommended != want || basis != wantBasis {
			t.Errorf("%s: results.json recommends %s on %s, want %s on %s", name, recommended, basis, want, wantBasis)
		}
	}
	// spiky-api states an SLO: Lambda is the cheapest that meets it; the
	// baseline fleet (cheaper, times out a third) and the capped Lambda
	// (cheaper by a hair, rejects 0.42%) are named with what they miss.
	v, table := verdict("spiky-api")
	for _, want := range []string{
		"lambda is the cheapest system that meets the SLO (latency_ms.p99 < 500, rejected_ratio + timed_out_ratio <= 0.001): 3.6x cheaper than fleet-peak",
		"fleet-baseline costs less ($0.0960) but misses the SLO: latency_ms.p99 is 29859 (want < 500)",
		"lambda-capped costs less ($0.1317) but misses the SLO: rejected_ratio + timed_out_ratio is 0.004203 (want <= 0.001)",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("spiky-api verdict lacks %q:\n%s", want, v)
		}
	}
	recommends("spiky-api", "lambda", "slo")
	if !strings.Contains(table, "0.0960 * [2]") || !strings.Contains(table, "fleet-baseline (server) [2]") ||
		!strings.Contains(table, "[2] fleet-baseline failing: 35.9% of its requests failed") {
		t.Errorf("fleet-baseline's star without its warning:\n%s", table)
	}
	// Without the SLO, the failing fleet is never recommended: the cheapest
	// system that serves the load is named, the failing one beside it.
	v, _ = verdict("spiky-api", "--set", "slo=null")
	if !strings.HasPrefix(v, "lambda-capped is the cheapest system that serves the load") ||
		!strings.Contains(v, "fleet-baseline costs less ($0.0960) but is failing: 35.9% of its requests failed (0 rejected, 45,048 timed out)") {
		t.Errorf("spiky-api without an SLO: %s", v)
	}
	recommends("spiky-api without an SLO", "lambda-capped", "serves_load")
	// An SLO nobody meets: no recommendation.
	verdict("spiky-api", "--set", "slo=[latency_ms.p99 < 1]")
	recommends("spiky-api, SLO p99 < 1 ms", "null", "slo")
	// azure-keepalive: the bills are within 2%; the verdict says so in
	// percentages, flags the close call, and tells the policies apart by
	// their cold starts. 4,286 completions: no p99.9 is marked.
	v, table = verdict("azure-keepalive")
	for _, want := range []string{"keep-60m (unfinished) is the cheapest system that serves the load: 1.69% cheaper than no-keep-alive",
		"cold starts range from 2.14% of requests (keep-60m) to 99.9% (no-keep-alive)"} {
		if !strings.Contains(v, want) {
			t.Errorf("azure-keepalive verdict lacks %q:\n%s", want, v)
		}
	}
	for _, line := range strings.Split(table, "\n") {
		if strings.Contains(line, "latency p99.9") && (strings.Contains(line, "*") || strings.Contains(line, "~")) {
			t.Errorf("p99.9 from 4,286 completions marked: %s", line)
		}
	}
	recommends("azure-keepalive", "keep-60m", "serves_load")
	if !strings.Contains(table, "warning close_call: keep-60m and keep-20m cost within 10%") {
		t.Errorf("no close-call warning:\n%s", table)
	}
}

// warnedMarks checks a table: every marked value of a system with a
// warning other than few_samples carries the system's footnote.
func warnedMarks(t *testing.T, table string, js []byte) {
	t.Helper()
	var res struct {
		Systems []struct {
			Warnings []struct{ Code string }
		}
	}
	if err := json.Unmarshal(js, &res); err != nil {
		t.Fatal(err)
	}
	rows := terminalRows(table)
	for i, s := range res.Systems {
		serious := false
		for _, w := range s.Warnings {
			serious = serious || w.Code != "few_samples"
		}
		for _, row := range rows {
			c := row[i+1]
			marked := strings.Contains(c, " *") || strings.Contains(c, " ~")
			if marked && serious != strings.HasSuffix(c, "]") {
				t.Errorf("system %d, row %q: %q (serious warnings: %v)", i, row[0], c, serious)
			}
		}
	}
}
