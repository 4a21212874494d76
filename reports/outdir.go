package reports

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// signalZero probes a process without signalling it.
var signalZero = syscall.Signal(0)

// OutDir is a results directory that appears complete or not at all.
// Everything is written into a hidden directory beside it
// (.<name>.faasim-<pid>-<random>), which Commit renames into place; an
// older results directory there is moved aside first and then removed, so
// at every instant the path holds the old results, nothing, or the new
// results, never a mix. Ctrl-C removes the temporary directory (Abort);
// after a kill -9 it stays behind and the next NewOutDir beside it removes
// it, once its process is gone.
type OutDir struct {
	final, tmp string
	done       bool
}

// tmpMark is in the name of every temporary directory an OutDir makes.
const tmpMark = ".faasim-"

// ErrNotResults is wrapped by NewOutDir's error for a directory that holds
// files faasim does not write: replacing it would delete them.
var ErrNotResults = errors.New("not a results directory")

// NewOutDir prepares dir to be written: its parent is created, stale
// temporary directories beside it are removed, and an existing dir must be
// empty or a results directory (only files faasim writes).
func NewOutDir(dir string) (*OutDir, error) {
	final := filepath.Clean(dir)
	base := filepath.Base(final)
	if base == "." || base == ".." || base == string(filepath.Separator) {
		return nil, fmt.Errorf("%s: %w: want a directory to create or replace, not the current one or its parent", dir, ErrNotResults)
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	if err := checkReplaceable(final); err != nil {
		return nil, err
	}
	removeStale(parent, base)
	tmp, err := os.MkdirTemp(parent, "."+base+tmpMark+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &OutDir{final: final, tmp: tmp}, nil
}

// Path is where to write until Commit.
func (d *OutDir) Path() string { return d.tmp }

// Commit puts the written directory in place of the final one.
func (d *OutDir) Commit() error {
	if d.done {
		return nil
	}
	old := ""
	if _, err := os.Lstat(d.final); err == nil {
		// Checked again: the directory may have gained a file meanwhile.
		if err := checkReplaceable(d.final); err != nil {
			return err
		}
		old = d.tmp + "-old"
		if err := os.Rename(d.final, old); err != nil {
			return err
		}
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		if old != "" {
			os.Rename(old, d.final) // put the old results back
		}
		return err
	}
	d.done = true
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes what was written (a no-op after Commit).
func (d *OutDir) Abort() {
	if !d.done {
		d.done = true
		os.RemoveAll(d.tmp)
	}
}

// resultFile reports whether name is a file faasim writes into a results
// directory, or one of its temporaries.
func resultFile(name string) bool {
	if name == "results.json" || name == "sweep.json" || name == "report.html" {
		return true
	}
	switch filepath.Ext(name) {
	case ".csv", ".png", ".svg":
		return true
	}
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp")
}

// checkReplaceable refuses a dir that exists and holds anything faasim
// does not write (a user's --out pointed at the wrong place).
func checkReplaceable(dir string) error {
	st, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s: %w: it is a file; want a directory to create or replace", dir, ErrNotResults)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var foreign []string
	for _, e := range ents {
		if !e.Type().IsRegular() || !resultFile(e.Name()) {
			foreign = append(foreign, e.Name())
		}
	}
	if len(foreign) > 0 {
		more := ""
		if len(foreign) > 5 {
			foreign, more = foreign[:5], fmt.Sprintf(" and %d more", len(foreign)-5)
		}
		return fmt.Errorf("%s: %w: it holds %s%s, which faasim did not write and replacing it would delete; want a new or empty directory, or one written by faasim run --out",
			dir, ErrNotResults, strings.Join(foreign, ", "), more)
	}
	return nil
}

// removeStale removes the temporary directories of runs beside base whose
// process has ended (killed before Abort).
func removeStale(parent, base string) {
	ents, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	prefix := "." + base + tmpMark
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidStr, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidStr)
		if err != nil || processAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(parent, e.Name()))
	}
}

// processAlive reports whether process pid may still be running. Unknown
// is alive: a live run's directory is never removed.
func processAlive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(signalZero)
	return !errors.Is(err, os.ErrProcessDone)
}

// RemoveStaleTemps removes the hidden temporaries that WriteFileAtomic and
// CreateAtomic leave in dir when killed (.<file>.tmp<digits>), for the
// commands that write into an existing results directory (faasim plot).
func RemoveStaleTemps(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		n := e.Name()
		if i := strings.LastIndex(n, ".tmp"); strings.HasPrefix(n, ".") && i > 0 && e.Type().IsRegular() && allDigits(n[i+4:]) && resultFile(n[1:i]) {
			os.Remove(filepath.Join(dir, n))
		}
	}
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// openRegular opens path if it is a regular file: a FIFO named
// results.json would block faasim plot forever.
func openRegular(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file; want one written by faasim run --out", path)
	}
	return os.Open(path)
}

// maxResultsJSON bounds results.json as read back: a thousand systems of
// a hundred functions each is a few MB.
const maxResultsJSON = 256 << 20

func readRegular(path string) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxResultsJSON+1))
	if err == nil && len(b) > maxResultsJSON {
		err = fmt.Errorf("%s is larger than %d MB; want one written by faasim run --out", path, maxResultsJSON>>20)
	}
	return b, err
}
