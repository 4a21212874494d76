package reports

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func names(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	var n []string
	for _, e := range ents {
		n = append(n, e.Name())
	}
	return strings.Join(n, " ")
}

// A results directory appears whole on Commit and replaces an older one
// entirely; before Commit, and after Abort, nothing is there.
func TestOutDir(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	d, err := NewOutDir(out)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(d.Path(), "results.json"), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(d.Path(), "old.csv"), []byte("x"), 0o644)
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("out exists before Commit: %v", err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Abort() // a no-op after Commit
	if got := names(t, out); got != "old.csv results.json" {
		t.Fatalf("after the first run: %q", got)
	}
	// A second run replaces the directory: old.csv does not survive beside it.
	d, err = NewOutDir(out)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(d.Path(), "results.json"), []byte("{}"), 0o644)
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := names(t, out); got != "results.json" {
		t.Errorf("after the second run: %q, want results.json alone", got)
	}
	// An aborted third run leaves it as it was, and nothing beside it.
	d, err = NewOutDir(out)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(d.Path(), "results.json"), []byte("{}"), 0o644)
	d.Abort()
	if got := names(t, out); got != "results.json" {
		t.Errorf("after an aborted run: %q", got)
	}
	if got := names(t, parent); got != "out" {
		t.Errorf("beside out: %q, want nothing else", got)
	}
}

// A directory with files faasim does not write is refused, and so are a
// file, the current directory and its parent.
func TestOutDirRefuses(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("x"), 0o644)
	for _, p := range []string{dir, filepath.Join(dir, "thesis.tex"), ".", ".."} {
		if _, err := NewOutDir(p); !errors.Is(err, ErrNotResults) {
			t.Errorf("NewOutDir(%s) = %v, want ErrNotResults", p, err)
		}
	}
	if _, err := NewOutDir(dir); err == nil || !strings.Contains(err.Error(), "thesis.tex") {
		t.Errorf("the message does not name the foreign file: %v", err)
	}
}

// The temporary directory of a run whose process is gone is removed by
// the next run beside it; a live process's is kept. So are the hidden
// temporaries of a killed plot.
func TestOutDirStale(t *testing.T) {
	parent := t.TempDir()
	dead := filepath.Join(parent, ".out"+tmpMark+"999999999-x")
	live := filepath.Join(parent, ".out"+tmpMark+"1-x") // pid 1 is always alive
	for _, p := range []string{dead, live} {
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	d, err := NewOutDir(filepath.Join(parent, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	if _, err := os.Stat(dead); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dead run's temporary directory is still there")
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("a live run's temporary directory was removed: %v", err)
	}
	res := t.TempDir()
	for _, n := range []string{".report.html.tmp123", ".timeline.png.tmp9", "notes.tmp1", ".results.json.tmpx"} {
		os.WriteFile(filepath.Join(res, n), nil, 0o644)
	}
	RemoveStaleTemps(res)
	if got := names(t, res); got != ".results.json.tmpx notes.tmp1" {
		t.Errorf("after RemoveStaleTemps: %q", got)
	}
}
