package main

import (
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportDirection keeps the house layout: imports run one way,
// sim <- workloads <- models <- reports <- scenarios <- cmd, and only
// scenarios reads scenario files (viper).
func TestImportDirection(t *testing.T) {
	const mod = "github.com/faasim/faasim/"
	rank := map[string]int{"sim": 0, "workloads": 1, "models": 2, "reports": 3, "scenarios": 4, "cmd": 5}
	top := func(pkg string) string { return strings.SplitN(strings.TrimPrefix(pkg, mod), "/", 2)[0] }
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "out") {
			return filepath.SkipDir
		}
		p, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		rel, _ := filepath.Rel(root, path)
		from := strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "github.com/spf13/viper") && from != "scenarios" {
				t.Errorf("%s imports viper; only scenarios may", rel)
			}
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			to := top(imp)
			if rank[to] > rank[from] || (to != from && rank[to] == rank[from]) {
				t.Errorf("%s imports %s: imports must run sim <- workloads <- models <- reports <- scenarios <- cmd", rel, imp)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
