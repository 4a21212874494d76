package reports_test

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/vg"

	"github.com/faasim/faasim/reports"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/ (same as cmpimg's -regen)")

func TestMain(m *testing.M) {
	flag.Parse()
	if *update {
		*cmpimg.GenerateTestData = true
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// Golden images of every figure at two sizes: a changed picture is a
// reviewed change (go test ./reports -update, then look at
// testdata/*_golden.png).
func TestPlotsGolden(t *testing.T) {
	cmpimg.CheckPlot(ExampleFigures_latencyCDF, t, "latency_cdf.png", "latency_cdf_small.png")
	cmpimg.CheckPlot(ExampleFigures_costBreakdown, t, "cost_breakdown.png", "cost_breakdown_small.png")
	cmpimg.CheckPlot(ExampleFigures_timeline, t, "timeline.png", "timeline_small.png")
	cmpimg.CheckPlot(ExampleFigures_coldStartsByFunction, t, "cold_starts_by_function.png", "cold_starts_by_function_small.png")
}

// TestFigureLayout: at every size from a phone's 8 cm to a poster's 30 cm,
// no text of any figure leaves the canvas, overlaps another, lies on a
// curve or bar, or is painted over; at the smallest size --width and
// --height allow (4 cm × 3 cm) every figure still renders.
func TestFigureLayout(t *testing.T) {
	for _, size := range [][2]vg.Length{{8, 6}, {10, 7}, {16, 10}, {30, 12}} {
		figs, err := reports.Figures(exampleRun(), reports.PlotOptions{Width: size[0] * vg.Centimeter, Height: size[1] * vg.Centimeter})
		if err != nil {
			t.Fatal(err)
		}
		if len(figs) != 5 {
			t.Fatalf("%d figures, want 5", len(figs))
		}
		for _, f := range figs {
			if err := f.CheckLayout(); err != nil {
				t.Errorf("%v cm: %v", size, err)
			}
			if f.W != size[0]*vg.Centimeter || f.H < size[1]*vg.Centimeter {
				t.Errorf("%v cm: %s is %v × %v", size, f.Name, f.W, f.H)
			}
		}
	}
	figs, err := reports.Figures(exampleRun(), reports.PlotOptions{Width: 4 * vg.Centimeter, Height: 3 * vg.Centimeter})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		for _, format := range []string{"png", "svg"} {
			if b, err := f.Render(format); err != nil || len(b) == 0 {
				t.Errorf("4 cm × 3 cm %s.%s: %v", f.Name, format, err)
			}
		}
	}
}

// TestSVGFonts: the SVG names Liberation Sans and, where a browser lacks
// it, the sans-serif fonts of the same widths, never a serif; and every
// text holds the width it was laid out at, whatever font draws it.
func TestSVGFonts(t *testing.T) {
	figs, err := reports.Figures(exampleRun(), reports.PlotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		b, err := f.Render("svg")
		if err != nil {
			t.Fatal(err)
		}
		svg := string(b)
		if strings.Contains(svg, "Serif") || !strings.Contains(svg, "font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;") {
			t.Errorf("%s.svg: fonts %q", f.Name, regexp.MustCompile(`font-family:[^;]*`).FindAllString(svg, 3))
		}
		texts := strings.Count(svg, "<text ")
		if held := len(regexp.MustCompile(`<text textLength="[0-9.]+" lengthAdjust="spacingAndGlyphs" `).FindAllString(svg, -1)); texts < 10 || held != texts {
			t.Errorf("%s.svg: %d of %d texts hold their width", f.Name, held, texts)
		}
	}
}

// TestFigureTitles: titles state the finding, computed from the figures.
func TestFigureTitles(t *testing.T) {
	figs, err := reports.Figures(exampleRun(), reports.PlotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		// 900/200; the fleet's timeouts are said, since its latencies leave them out.
		"latency_cdf": "lambda's p99 latency is 4.5x vms's (900 ms vs 200 ms); 3.00% of its requests were cold starts; vms timed out 2.00% of its requests",
		// 8/0.42 = 19.05.
		"cost_breakdown": "lambda-arm is 19x cheaper than vms ($420.00 vs $8,000.00 per 1M requests)",
		"timeline":       "Over time (1 min windows): lambda peaks at 6 instances; vms timed out 2.00% of its requests",
		// fn-04: 4 cold starts of 100+10·4 requests, on lambda (the first of the two with 4).
		"cold_starts_by_function": "fn-04 has the most cold starts: 4 of its 140 requests on lambda",
		// vms's p99 rests on 980 completions, fewer than a p99 needs: never
		// on the frontier; lambda-arm costs less than lambda at the same p99.
		"tradeoff": "Cost against p99 latency: lambda-arm is the cheapest of those that serve the load, and as fast as any of them within the sketch's error",
	}
	if len(figs) != len(want) {
		t.Errorf("%d figures, want %d", len(figs), len(want))
	}
	for _, f := range figs {
		if f.Title != want[f.Name] {
			t.Errorf("%s: title %q, want %q", f.Name, f.Title, want[f.Name])
		}
	}
	// A subset keeps the systems' colours and drops the others.
	sub, err := reports.Figures(exampleRun(), reports.PlotOptions{Systems: []string{"vms"}})
	if err != nil || sub[0].Title != "vms's p99 latency is 200 ms; vms timed out 2.00% of its requests" {
		t.Errorf("subset: %v %q", err, sub[0].Title)
	}
	if _, err := reports.Figures(exampleRun(), reports.PlotOptions{Systems: []string{"nope"}}); err == nil || !strings.Contains(err.Error(), `no system "nope"`) {
		t.Errorf("unknown system: %v", err)
	}
}
