package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// staging is where a run writes its --out files before they are whole: a
// hidden directory inside the output directory (so renames stay on one
// file system), moved into place file by file only once every file is
// written. An interrupted or failed run leaves nothing behind, and removes
// the output directory too if it created it and it is still empty.
type staging struct {
	out, dir string
	created  bool // out did not exist before this run
	done     bool
}

func newStaging(out string) (*staging, error) {
	_, err := os.Stat(out)
	created := errors.Is(err, fs.ErrNotExist)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(out, ".faasim-run-")
	if err != nil {
		return nil, err
	}
	return &staging{out: out, dir: dir, created: created}, nil
}

// commit moves every staged file into the output directory (replacing
// files of an earlier run of the same names) and removes the stage.
func (s *staging) commit() error {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if err := os.Rename(filepath.Join(s.dir, e.Name()), filepath.Join(s.out, e.Name())); err != nil {
			return err
		}
	}
	s.done = true
	return os.Remove(s.dir)
}

// abort removes what the run staged, unless it was committed.
func (s *staging) abort() {
	if s.done {
		return
	}
	os.RemoveAll(s.dir)
	if s.created {
		os.Remove(s.out) // only if empty
	}
}
