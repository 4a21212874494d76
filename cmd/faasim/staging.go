package main

import "github.com/faasim/faasim/reports"

// staging is where a run or a sweep writes its --out files before they are
// whole: a hidden directory beside the output directory, renamed into its
// place once every file is written (reports.OutDir). At every instant the
// output directory holds the earlier results, nothing, or the new results,
// never a mix: an interrupted or failed run leaves it as it was (and no new
// directory), a killed run's leftovers are removed by the next run, and a
// directory holding files faasim does not write is refused.
type staging struct {
	d   *reports.OutDir
	dir string // where to write until commit
}

func newStaging(out string) (*staging, error) {
	d, err := reports.NewOutDir(out)
	if err != nil {
		return nil, err
	}
	return &staging{d: d, dir: d.Path()}, nil
}

// commit puts the staged directory in place of the output directory.
func (s *staging) commit() error { return s.d.Commit() }

// abort removes what was staged, unless it was committed.
func (s *staging) abort() { s.d.Abort() }
