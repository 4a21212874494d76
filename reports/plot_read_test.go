package reports

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocsShowEveryFigure: docs/reports.md has a section per figure with
// its picture, and says how to read it in report.html's words.
func TestDocsShowEveryFigure(t *testing.T) {
	b, err := os.ReadFile("../docs/reports.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(b)), " ")
	for name, read := range howToRead {
		sec := regexp.MustCompile(`### ` + name + ` !\[[^\]]+\]\(img/[a-z0-9-]+\.png\)`)
		if !sec.MatchString(doc) {
			t.Errorf("docs/reports.md: no section ### %s opening with its picture", name)
		}
		if !strings.Contains(doc, "**How to read it:** "+read) {
			t.Errorf("docs/reports.md: %s's how-to-read is not report.html's:\n%s", name, read)
		}
	}
}
