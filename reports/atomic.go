package reports

import (
	"os"
	"path/filepath"
)

// AtomicFile is a file written in pieces (a stream) that appears at its path
// only on Commit, whole; until then it is a hidden temporary beside it.
type AtomicFile struct {
	f    *os.File
	path string
}

// CreateAtomic opens a temporary file beside path.
func CreateAtomic(path string) (*AtomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	return &AtomicFile{f: f, path: path}, nil
}

func (a *AtomicFile) Write(p []byte) (int, error) { return a.f.Write(p) }

// Commit closes the file and renames it into place.
func (a *AtomicFile) Commit() error {
	err := a.f.Close()
	if err == nil {
		err = os.Chmod(a.f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
	}
	return err
}

// Abort closes and removes the temporary file (a no-op after Commit).
func (a *AtomicFile) Abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}
