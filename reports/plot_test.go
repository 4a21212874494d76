package reports_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"

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

// Golden images: a changed picture is a reviewed change
// (go test ./reports -update, then look at testdata/*_golden.png).
func TestPlotsGolden(t *testing.T) {
	cmpimg.CheckPlot(ExampleFigures_latencyCDF, t, "latency_cdf.png")
	cmpimg.CheckPlot(ExampleFigures_costBreakdown, t, "cost_breakdown.png")
	cmpimg.CheckPlot(ExampleFigures_timeline, t, "timeline.png")
	cmpimg.CheckPlot(ExampleFigures_coldStartsByFunction, t, "cold_starts_by_function.png")
}

// TestFigureTitles: titles state the finding, computed from the figures.
func TestFigureTitles(t *testing.T) {
	figs, err := reports.Figures(exampleRun(), reports.PlotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"latency_cdf":             "lambda's p99 latency is 4.5x vms's (900.0 vs 200.0 ms); 3.00% of its requests were cold starts", // 900/200
		"cost_breakdown":          "vms is 2.5x cheaper than lambda ($200.00 vs $500.00 per 1M requests)",                           // 0.5/0.2
		"timeline":                "Over time (1m windows): lambda peaks at 6 instances",
		"cold_starts_by_function": "cron has the most cold starts: 4.00% of its requests on lambda",
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
	if err != nil || !strings.Contains(sub[0].Title, "p99 200.0 ms") {
		t.Errorf("subset: %v %q", err, sub[0].Title)
	}
	if _, err := reports.Figures(exampleRun(), reports.PlotOptions{Systems: []string{"nope"}}); err == nil || !strings.Contains(err.Error(), `no system "nope"`) {
		t.Errorf("unknown system: %v", err)
	}
}
